-- Tool calls an @AiService's tool loop has run: one row per caller (tenant and principal) and
-- call_id, claimed before the tool runs, so a call_id runs at most once per caller across restarts
-- and servers. The row id is a SHA-256 of tenant, principal and call_id; neither the call_id, the
-- arguments nor the result are stored.
create table warden_tool_call (
  id          varchar(64)   not null primary key,
  tenant      varchar(200)  not null,
  principal   varchar(300)  not null,
  tool_name   varchar(64)   not null,
  created_at  timestamp(6)  not null
);
create index warden_tool_call_caller on warden_tool_call (tenant, principal);
