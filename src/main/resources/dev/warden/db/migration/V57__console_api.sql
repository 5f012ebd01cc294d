-- The compliance console's API. Plain SQL: the same on PostgreSQL and on H2 in PostgreSQL mode.

-- One row per read of a record's decrypted content (operation audit.read): the read's own record
-- and the record it read, so GET /api/audit/{id}/reads finds them by index. Who read and why stay
-- in the read's record (the reason encrypted under the reader's tenant key). Reads recorded before
-- this table existed are not in it.
create table audit_read (
  read_record_id       varchar(36)   not null primary key,
  record_id            varchar(36)   not null,
  created_at           timestamp(6)  not null
);
create index audit_read_record_ix on audit_read (record_id, created_at);

-- A chain verification run in the background (POST /api/audit/verifications): its progress and,
-- once done, its result, so a poll answered by any server sees it. updated_at moves with the
-- progress; a running row that stopped moving belongs to a server that stopped.
create table audit_verification (
  verification_id      varchar(36)   not null primary key,
  state                varchar(16)   not null,
  requested_by         varchar(200)  not null,
  records_checked      bigint        not null,
  records_total        bigint        not null,
  started_at           timestamp(6)  not null,
  updated_at           timestamp(6)  not null,
  finished_at          timestamp(6),
  ok                   boolean,
  checkpoints_checked  bigint,
  purged_ranges_checked bigint,
  head_sequence        bigint,
  break_sequence       bigint,
  break_record_id      varchar(36),
  break_reason         varchar(40),
  break_detail         varchar(2000),
  error                varchar(2000),
  constraint audit_verification_state check (state in ('RUNNING', 'DONE', 'FAILED'))
);
create index audit_verification_started_ix on audit_verification (started_at);
