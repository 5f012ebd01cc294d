-- Which model answered a call and why (issue #6): requested, routed cheap-first, escalated, or a
-- fallback after an outage. Records written before this migration keep record_format 1 and are
-- hashed exactly as before; records of format 2 hash record_format and route_reason as well
-- (dev.warden.audit.log.AuditRecords#canonical), so old chains still verify.
alter table audit_record add column record_format integer not null default 1;
alter table audit_record add column route_reason varchar(1000);
