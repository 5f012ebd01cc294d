-- The compliance console's sessions (docs/identity-and-api.md, "Console sign-in"). The browser holds
-- an opaque random token in a cookie; only its SHA-256 (hex) is stored, so a copy of this table
-- signs nobody in. Any server on the database accepts the cookie. A session ends at expires_at
-- (its absolute lifetime) or at idle_expires_at (moved forward while it is used), whichever comes
-- first; expired rows are purged. The same SQL runs on PostgreSQL and on H2 in PostgreSQL mode.
create table console_session (
  id               varchar(64)   not null primary key,
  principal        varchar(500)  not null,
  tenant           varchar(200)  not null,
  roles            varchar(500)  not null,
  method           varchar(16)   not null,
  created_at       timestamp(6)  not null,
  last_seen_at     timestamp(6)  not null,
  idle_expires_at  timestamp(6)  not null,
  expires_at       timestamp(6)  not null
);
create index console_session_expires on console_session (expires_at);
create index console_session_idle_expires on console_session (idle_expires_at);
