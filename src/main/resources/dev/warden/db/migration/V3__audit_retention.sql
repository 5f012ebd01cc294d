-- Retention (issue #4): legal holds and the purged ranges that bridge the gaps a purge leaves.
-- The same SQL runs on PostgreSQL and on H2 in PostgreSQL mode.

-- A legal hold on a tenant or on one data subject (pseudonymised) exempts their records from
-- purges while it is not lifted. Holds are never deleted: who placed and lifted them, when and why.
create table audit_legal_hold (
  hold_id              varchar(36)   not null primary key,
  scope                varchar(16)   not null,
  tenant               varchar(200)  not null,
  -- the data subject's pseudonym for SUBJECT holds, null for TENANT holds
  data_subject         varchar(64),
  reason               varchar(2000) not null,
  placed_by            varchar(200)  not null,
  placed_at            timestamp(6)  not null,
  lifted_by            varchar(200),
  lifted_at            timestamp(6),
  lift_reason          varchar(2000),
  constraint audit_legal_hold_scope check (scope in ('TENANT', 'SUBJECT')),
  constraint audit_legal_hold_subject check ((scope = 'SUBJECT') = (data_subject is not null))
);

create index audit_legal_hold_active_ix on audit_legal_hold (lifted_at);

-- A run of consecutive records deleted by a purge, MACed with the checkpoint key: the hash of the
-- record before the run and of its last record, so the verifier can cross the gap
-- (dev.warden.audit.chain.PurgedRange).
create table audit_purged_range (
  from_seq             bigint        not null primary key,
  to_seq               bigint        not null,
  hash_before          bytea         not null,
  hash_after           bytea         not null,
  created_at           timestamp(6)  not null,
  mac                  bytea         not null,
  constraint audit_purged_range_order check (to_seq >= from_seq)
);

create unique index audit_purged_range_to_ix on audit_purged_range (to_seq);
