-- The first result of a claimed tool call, so that a duplicate of the call on any server, or after
-- a restart, gets that result instead of an error. The result is application data handed to the
-- model: it is stored only as an AEAD ciphertext under the tenant's data key (key_subject), bound
-- to the row id. Rows older than warden.tools.claim-retention are deleted.
alter table warden_tool_call add column key_subject varchar(300);
alter table warden_tool_call add column result_enc bytea;
alter table warden_tool_call add column completed_at timestamp(6);
create index warden_tool_call_created on warden_tool_call (created_at);
