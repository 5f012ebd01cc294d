-- Idempotent replays on /v1: a caller's Idempotency-Key, scoped to the caller (tenant and
-- principal), claims a row while its call runs and then holds the recorded answer until the row
-- expires. The row id is a SHA-256 of tenant, principal and key, so the key itself is not stored.
-- The answer holds prompt output: it is only stored as an AEAD ciphertext under the data key of
-- the call's audit record (key_subject), so erasing the data subject makes it unreadable.
create table idempotent_request (
  id            varchar(64)   not null primary key,
  claim         varchar(36)   not null,
  request_hash  varchar(64)   not null,
  operation     varchar(100)  not null,
  state         varchar(16)   not null,
  request_id    varchar(100),
  key_subject   varchar(300),
  answer_enc    bytea,
  created_at    timestamp(6)  not null,
  expires_at    timestamp(6)  not null
);
create index idempotent_request_expires on idempotent_request (expires_at);
