-- The Batch API endpoint of a deferred call (its line's url): chat completions, Responses or
-- embeddings. Rows stored before deferred calls had kinds were all chat completions.
alter table cost_deferred_call add column endpoint varchar(40) default '/v1/chat/completions' not null;
