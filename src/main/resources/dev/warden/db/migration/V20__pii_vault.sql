-- Placeholder vaults that must outlive one request (issue #5): the placeholder-to-value map of a
-- stored Responses API conversation (key "response:<id>"), and of a batch input file until its
-- results are read (key "file:<id>"). The map holds PII values, so it is only ever stored as an
-- AEAD ciphertext (the audit master keyset; associated data: table, key). Rows expire.
create table pii_vault (
  vault_key   varchar(300)  not null primary key,
  ciphertext  bytea         not null,
  created_at  timestamp(6)  not null,
  expires_at  timestamp(6)  not null
);
create index pii_vault_expires on pii_vault (expires_at);
