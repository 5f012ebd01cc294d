-- Cost control (issue #6). The same SQL runs on PostgreSQL 15 and on H2 2.3 in PostgreSQL mode.
-- Versions V10..V19 belong to cost control.

-- The usage ledger: one row per priced call. Reports (/api/usage) aggregate it per principal,
-- tenant, API key, model, prompt (id, version) and day. Costs in USD, 12 decimals.
create table cost_usage (
  id                   varchar(36)    not null primary key,
  request_id           varchar(64)    not null,
  usage_day            date           not null,
  occurred_at          timestamp(6)   not null,
  principal            varchar(200)   not null,
  tenant               varchar(200)   not null,
  api_key_id           varchar(200),
  model                varchar(200)   not null,
  prompt_id            varchar(200),
  prompt_version       varchar(200),
  operation            varchar(64)    not null,
  outcome              varchar(16)    not null,
  batched              boolean        not null,
  input_tokens         bigint         not null,
  cached_tokens        bigint         not null,
  output_tokens        bigint         not null,
  reasoning_tokens     bigint         not null,
  cost                 numeric(24, 12) not null
);

create index cost_usage_day_ix on cost_usage (usage_day, tenant, principal);

-- Budgets: one row per budget (scope + subject + period) and period start. Reservations and
-- settlements are single conditional UPDATEs on these rows (see dev.warden.cost.BudgetStore).
create table cost_budget (
  id                   varchar(500)   not null primary key,
  scope                varchar(16)    not null,
  subject              varchar(200)   not null,
  period               varchar(16)    not null,
  period_start         date           not null,
  spent                numeric(24, 12) not null,
  reserved             numeric(24, 12) not null,
  -- the highest soft-alert share already raised for this period (0 = none)
  alerted              numeric(6, 4)  not null,
  updated_at           timestamp(6)   not null
);
