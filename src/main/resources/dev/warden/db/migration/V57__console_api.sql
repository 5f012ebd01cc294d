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
