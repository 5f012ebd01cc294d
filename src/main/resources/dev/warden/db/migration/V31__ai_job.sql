-- Background jobs (issue #7): a Responses API call submitted with background: true, owned by the
-- principal that submitted it and polled until it ends. The result stays with the upstream (stored
-- response) and is read back through the pipeline; Warden keeps status and usage, no text.
create table warden_job (
  job_id         varchar(64)   not null primary key,
  owner          varchar(200)  not null,
  model          varchar(200)  not null,
  response_id    varchar(200)  not null,
  status         varchar(32)   not null,
  tokens_input   bigint        not null,
  tokens_output  bigint        not null,
  error_code     varchar(200),
  created_at     timestamp(6)  not null,
  updated_at     timestamp(6)  not null,
  row_version    bigint        not null
);
create index warden_job_owner on warden_job (owner);
create index warden_job_status on warden_job (status);
