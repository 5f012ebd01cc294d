-- Each running server renews its lease here; a server whose lease expired is gone, and another
-- server recovers what it left (pending stream rows, budget holds). The name is the server's
-- (warden.cluster.server-name), stable across its restarts.
create table warden_server (
  name varchar(300) primary key,
  started_at timestamp with time zone not null,
  renewed_at timestamp with time zone not null
);

-- One row per budget a call in flight has reserved on, removed when the call settles (in the same
-- transaction) or when its reservation is handed to a background charge; a server that is gone
-- leaves its rows, and the server that recovers them releases the reservations.
create table cost_budget_hold (
  id varchar(40) primary key,
  owner varchar(300) not null,
  budget_id varchar(500) not null,
  amount numeric(24, 12) not null,
  created_at timestamp with time zone default current_timestamp not null
);
create index cost_budget_hold_owner on cost_budget_hold (owner, created_at);
