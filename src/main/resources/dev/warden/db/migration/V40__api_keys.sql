-- Identity (issue #8): Warden API keys for services and OpenAI SDKs calling /v1. Only a SHA-256
-- hash of the secret is stored (the key is shown once, at creation); a key is scoped to models,
-- budgets and rate limits, expires, and can be revoked.
create table warden_api_key (
  key_id              varchar(32)    not null primary key,
  secret_hash         varchar(64)    not null,
  name                varchar(200)   not null,
  owner               varchar(200)   not null,
  tenant              varchar(200)   not null,
  models              varchar(2000)  not null,
  daily_budget        numeric(18, 6),
  monthly_budget      numeric(18, 6),
  requests_per_minute bigint,
  tokens_per_minute   bigint,
  created_by          varchar(200)   not null,
  created_at          timestamp(6)   not null,
  expires_at          timestamp(6),
  revoked_at          timestamp(6),
  revoked_by          varchar(200),
  last_used_at        timestamp(6)
);
create index warden_api_key_owner on warden_api_key (owner);
