-- The chain head is MACed (dev.warden.audit.chain.CheckpointSigner#signHead) at every append, so
-- deleting the newest records and moving the head back is detected without a later checkpoint.
-- Null only before the first append after this migration.
alter table audit_chain_head add column mac bytea;
