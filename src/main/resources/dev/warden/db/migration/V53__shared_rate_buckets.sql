-- Rate limits shared by every server on the database (Bucket4j's PostgreSQL store): one row per
-- bucket, named by scope, name, limit kind and limit; state is Bucket4j's serialised bucket;
-- expires_at (epoch milliseconds) is when a bucket left alone is full again and may be deleted.
create table rate_bucket (
  id varchar(600) primary key,
  state bytea,
  expires_at bigint
);
create index rate_bucket_expires on rate_bucket (expires_at);
