-- Conversations on the Responses API (issue #7): one row per user conversation, owned by the
-- principal that started it. The upstream stores the turns (store: true); Warden keeps only the
-- chain's head (the last response id) and how the chain is truncated. No message text is stored.
create table warden_conversation (
  conversation_id   varchar(64)   not null primary key,
  owner             varchar(200)  not null,
  model             varchar(200)  not null,
  last_response_id  varchar(200),
  turns             integer       not null,
  truncating        boolean       not null,
  created_at        timestamp(6)  not null,
  updated_at        timestamp(6)  not null,
  row_version       bigint        not null
);
create index warden_conversation_owner on warden_conversation (owner);
