/**
 * The audit log's storage: Flyway migrations ({@code dev/warden/db/migration}), JPA entities, the
 * {@link dev.warden.audit.log.AuditLog} service that writes one record per call and verifies,
 * checkpoints, reads and erases, and the keys it uses ({@link dev.warden.audit.log.AuditKeys}).
 */
package dev.warden.audit.log;
