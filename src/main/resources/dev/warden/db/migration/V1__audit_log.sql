-- Warden's audit log (issue #4). The same SQL runs on PostgreSQL 15 and on H2 2.3 in PostgreSQL
-- mode. Hibernate only validates this schema (hibernate.hbm2ddl.auto=validate).
-- Timestamps are UTC (hibernate.jdbc.time_zone=UTC), microsecond precision, as hashed.

-- One record per call, hash-chained by seq (see dev.warden.audit.chain.package-info).
create table audit_record (
  record_id            varchar(36)   not null primary key,
  seq                  bigint        not null,
  created_at           timestamp(6)  not null,
  started_at           timestamp(6),
  request_id           varchar(64)   not null,
  entry_point          varchar(16)   not null,
  operation            varchar(64)   not null,
  streamed             boolean       not null,
  principal            varchar(200)  not null,
  tenant               varchar(200)  not null,
  -- the data subject, pseudonymised: hex SHA-256 of a domain tag and the subject id, never clear
  data_subject         varchar(64),
  -- the subject whose data key encrypted this record's fields ("subject:<data_subject>" or
  -- "tenant:<tenant>")
  key_subject          varchar(300)  not null,
  requested_model      varchar(200),
  answered_by          varchar(200),
  model_snapshot       varchar(200),
  fallback             varchar(16),
  attempts             integer       not null,
  upstream_request_id  varchar(200),
  prompt_id            varchar(200),
  prompt_version       varchar(200),
  latency_ms           bigint        not null,
  time_to_first_event_ms bigint,
  tokens_input         bigint        not null,
  tokens_cached        bigint        not null,
  tokens_output        bigint        not null,
  tokens_reasoning     bigint        not null,
  cost                 numeric(18, 6),
  outcome              varchar(16)   not null,
  error_type           varchar(200),
  -- "EMAIL=2,PHONE=1", sorted by type: counts only, never values
  pii_found            varchar(1000),
  guard_score          double precision,
  -- matched rule ids, comma-separated, sorted
  guard_rules          varchar(1000),
  guard_action         varchar(16),
  -- AEAD ciphertexts under the key subject's data key, associated data (table, column, record id)
  request_enc          bytea,
  answer_enc           bytea,
  error_enc            bytea,
  prev_hash            bytea         not null,
  hash                 bytea         not null,
  constraint audit_record_seq_uk unique (seq)
);

create index audit_record_subject_ix on audit_record (data_subject);
create index audit_record_created_ix on audit_record (created_at);

-- The end of the chain: a single row, locked FOR UPDATE by every append. Seeded by V2.
create table audit_chain_head (
  id                   smallint      not null primary key,
  seq                  bigint        not null,
  hash                 bytea         not null,
  constraint audit_chain_head_single check (id = 1)
);

-- MACed checkpoints of the chain (the MAC key is not in the database).
create table audit_checkpoint (
  seq                  bigint        not null primary key,
  hash                 bytea         not null,
  created_at           timestamp(6)  not null,
  mac                  bytea         not null
);

-- Per-subject data keys, wrapped by the master keyset. Deleting a row erases the subject.
create table audit_subject_key (
  subject_id           varchar(300)  not null primary key,
  wrapped_key          bytea         not null,
  created_at           timestamp(6)  not null default current_timestamp
);
