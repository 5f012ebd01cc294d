-- The parts of a request Warden could not inspect for personal data (images, audio, files),
-- counted by type ("image_url=1,input_file=2"): sent uninspected, or refused. Null when none.
-- Records with a value hash it last (dev.warden.audit.log.AuditRecords#canonical); records without
-- one hash exactly as before, so existing chains still verify.
alter table audit_record add column uninspected varchar(500);
