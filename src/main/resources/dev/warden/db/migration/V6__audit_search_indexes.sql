-- Indexes for the auditors' search (GET /api/audit, issue #8): every filter is combined with a time
-- range and answered newest first, so each index ends with created_at. Outcome and entry point have
-- few values and ride on the time-range index (audit_record_created_ix, V1). request_id serves
-- AuditLog.byRequestId. Plain CREATE INDEX: the same SQL on PostgreSQL and H2.
create index audit_record_principal_ix on audit_record (principal, created_at);
create index audit_record_tenant_ix on audit_record (tenant, created_at);
create index audit_record_req_model_ix on audit_record (requested_model, created_at);
create index audit_record_answered_ix on audit_record (answered_by, created_at);
create index audit_record_prompt_ix on audit_record (prompt_id, created_at);
create index audit_record_operation_ix on audit_record (operation, created_at);
create index audit_record_request_ix on audit_record (request_id);
