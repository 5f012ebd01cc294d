-- Cost control (issue #6): reservations that outlive the call that made them.

-- A Responses call made with background: true answers before any usage exists. Its reservation is
-- kept here until the response ends (seen by a retrieve, a cancel, or the poller of
-- dev.warden.ai.DeferredCalls), then settled at the actual usage and the row deleted. Deleting the
-- row is the claim: exactly one server settles it.
create table cost_background (
  response_id          varchar(200)   not null primary key,
  request_id           varchar(64)    not null,
  principal            varchar(200)   not null,
  tenant               varchar(200)   not null,
  api_key_id           varchar(200),
  model                varchar(200)   not null,
  prompt_id            varchar(200),
  prompt_version       varchar(200),
  input_tokens         bigint         not null,
  reserved             numeric(24, 12) not null,
  -- the budget rows held, JSON (dev.warden.cost.Reservation.Held)
  holds                varchar(4000)  not null,
  reserved_at          timestamp(6)   not null,
  polled_at            timestamp(6)   not null
);

-- A deferred call (dev.warden.ai.DeferredCalls): one line of a Batch API input file, its
-- custom_id being deferred_id. Kept from submission until the caller no longer needs its status;
-- the request and the answer stay with the upstream (input and output files), never here.
create table cost_deferred_call (
  deferred_id          varchar(64)    not null primary key,
  request_id           varchar(64)    not null,
  principal            varchar(200)   not null,
  tenant               varchar(200)   not null,
  api_key_id           varchar(200),
  entry_point          varchar(16)    not null,
  model                varchar(200)   not null,
  prompt_id            varchar(200),
  prompt_version       varchar(200),
  prompt_sha256        varchar(64),
  -- PII counts ("EMAIL=1,PHONE=2") and the guard verdict of the request, for its audit record
  pii_found            varchar(1000),
  guard_score          double precision,
  guard_rules          varchar(1000),
  guard_action         varchar(16),
  input_tokens         bigint         not null,
  reserved             numeric(24, 12) not null,
  holds                varchar(4000)  not null,
  reserved_at          timestamp(6)   not null,
  started_at           timestamp(6)   not null,
  -- null when the call was refused at submission (status FAILED)
  batch_id             varchar(200),
  input_file_id        varchar(200),
  -- SUBMITTED until the batch ends; then COMPLETED, FAILED, EXPIRED or CANCELLED
  status               varchar(16)    not null,
  upstream_status      varchar(32),
  output_file_id       varchar(200),
  answered_by          varchar(200),
  error_code           varchar(200),
  tokens_input         bigint         not null,
  tokens_cached        bigint         not null,
  tokens_output        bigint         not null,
  tokens_reasoning     bigint         not null,
  cost                 numeric(24, 12),
  finished_at          timestamp(6),
  updated_at           timestamp(6)   not null
);

create index cost_deferred_batch_ix on cost_deferred_call (batch_id, status);
create index cost_deferred_status_ix on cost_deferred_call (status);
