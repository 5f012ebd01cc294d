-- The stream outbox (#4, item 7): a stream's audit record is written when the stream ends, after
-- its events were relayed. So that a crash in between cannot lose it, a "pending" row is committed
-- before the stream's first byte reaches the caller, and removed in the transaction that appends
-- the stream's record. At start-up, a server turns its own pending rows left by its previous run
-- into FAILED records (error ServerInterrupted). Metadata only, never content. Same SQL on
-- PostgreSQL and H2 (PostgreSQL mode).
create table audit_stream_pending (
  request_id           varchar(64)   not null primary key,
  -- the server that relays the stream (warden.audit.outbox.owner): only it recovers the row
  owner                varchar(300)  not null,
  operation            varchar(64)   not null,
  entry_point          varchar(16)   not null,
  principal            varchar(200)  not null,
  tenant               varchar(200)  not null,
  requested_model      varchar(200),
  started_at           timestamp(6)  not null,
  streamed             boolean       not null
);

create index audit_stream_pending_owner_ix on audit_stream_pending (owner, started_at);
