-- Files and batches created through /v1: one row per object with its creator, what it is for and
-- which placeholder vault restores it; never its content. An uploaded batch input file also
-- carries what admission needs when a batch is created from it (its endpoint, its one model, its
-- number of lines, the input tokens counted and the largest output its lines may produce). Output
-- and error files of a batch get a row when the batch is seen with them, owned like the batch.
create table warden_object_record (
  object_key      varchar(260)  not null primary key,
  kind            varchar(16)   not null,
  object_id       varchar(240)  not null,
  principal       varchar(300)  not null,
  tenant          varchar(200)  not null,
  purpose         varchar(64),
  -- the id of the file whose placeholder vault restores this object (warden_vault 'file:<id>')
  vault_file_id   varchar(240),
  endpoint        varchar(64),
  model           varchar(200),
  line_count      integer,
  input_tokens    bigint,
  output_tokens   bigint,
  created_at      timestamp(6)  not null
);
create index warden_object_record_owner on warden_object_record (tenant, principal, kind);

-- The reservation of a batch created through /v1 (the worst case of all its lines at the batch
-- price), kept until the batch is seen to have ended, then settled at the usage the batch reports
-- and the row deleted. Deleting the row is the claim: exactly one server settles it.
create table cost_batch (
  batch_id        varchar(240)    not null primary key,
  request_id      varchar(64)     not null,
  principal       varchar(300)    not null,
  tenant          varchar(200)    not null,
  api_key_id      varchar(200),
  model           varchar(200)    not null,
  input_tokens    bigint          not null,
  reserved        numeric(24, 12) not null,
  holds           varchar(4000)   not null,
  reserved_at     timestamp(6)    not null,
  polled_at       timestamp(6)    not null
);
