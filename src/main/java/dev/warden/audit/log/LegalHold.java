package dev.warden.audit.log;

import java.time.Instant;

/**
 * A legal hold: while it is active (not lifted), purges keep every record of its tenant ({@link
 * Scope#TENANT}) or of its data subject ({@link Scope#SUBJECT}, stored as the pseudonym). Who
 * placed and lifted it, when and why, stay on record.
 *
 * @param dataSubject the subject's pseudonym, null for a tenant hold
 */
public record LegalHold(
    String holdId,
    Scope scope,
    String tenant,
    String dataSubject,
    String reason,
    String placedBy,
    Instant placedAt,
    String liftedBy,
    Instant liftedAt,
    String liftReason) {

  /** What a hold covers. */
  public enum Scope {
    /** Every record of the tenant. */
    TENANT,
    /** Every record of one data subject of the tenant. */
    SUBJECT
  }

  /** Whether it still exempts records. */
  public boolean active() {
    return liftedAt == null;
  }
}
