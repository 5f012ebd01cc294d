/**
 * The audit log's storage: Flyway migrations ({@code dev/warden/db/migration}), JPA entities, the
 * services that write one record per call ({@link dev.warden.audit.log.AuditWriter}), recover
 * interrupted streams ({@link dev.warden.audit.log.StreamRecovery}), verify the chain ({@link
 * dev.warden.audit.log.AuditVerifier}), checkpoint it ({@link
 * dev.warden.audit.log.AuditCheckpoints}), erase subjects ({@link
 * dev.warden.audit.log.AuditErasure}) and read records ({@link dev.warden.audit.log.AuditReader}),
 * and the keys they use ({@link dev.warden.audit.log.AuditKeys}).
 */
package dev.warden.audit.log;
