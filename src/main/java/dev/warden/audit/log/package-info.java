/**
 * The audit log's storage: Flyway migrations ({@code dev/warden/db/migration}), JPA entities, the
 * {@link dev.warden.audit.log.AuditLog} service that writes one record per call, reads and erases,
 * {@link dev.warden.audit.log.AuditVerifier} and {@link dev.warden.audit.log.AuditCheckpoints} that
 * verify and checkpoint the chain, and the keys they use ({@link dev.warden.audit.log.AuditKeys}).
 */
package dev.warden.audit.log;
