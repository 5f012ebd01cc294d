-- Identity (issue #8): who created each upstream object (stored response, file, batch) through
-- Warden, so that a /v1 caller reaches only its own. Key: "<kind>:<upstream id>".
create table warden_object_owner (
  object_key  varchar(300)  not null primary key,
  principal   varchar(200)  not null,
  tenant      varchar(200)  not null,
  created_at  timestamp(6)  not null
);
