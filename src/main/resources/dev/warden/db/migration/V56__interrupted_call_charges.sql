-- What charging a model call cut off by its server's end needs: its outbox row keeps the input
-- tokens counted at admission and who and what to charge; a budget hold names its call, so the
-- recovery settles that call's holds with its charge (and releases the rest).
alter table audit_stream_pending add column input_tokens integer;
alter table audit_stream_pending add column api_key_id varchar(200);
alter table audit_stream_pending add column prompt_id varchar(200);
alter table audit_stream_pending add column prompt_version varchar(200);
alter table cost_budget_hold add column request_id varchar(100);
create index cost_budget_hold_request on cost_budget_hold (request_id);
