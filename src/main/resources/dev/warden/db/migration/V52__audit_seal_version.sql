-- How a checkpoint or purged range is sealed: 1 an HMAC under the checkpoint MAC keyset (every row
-- made before signing keys), 2 an Ed25519 signature under the audit signing keyset. The seal's
-- bytes stay in the column mac.
alter table audit_checkpoint add column seal_version smallint default 1 not null;
alter table audit_purged_range add column seal_version smallint default 1 not null;
