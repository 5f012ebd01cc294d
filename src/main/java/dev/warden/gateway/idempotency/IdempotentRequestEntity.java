package dev.warden.gateway.idempotency;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One caller's idempotency key: claimed while its call runs ({@link State#IN_PROGRESS}), then the
 * recorded answer, sealed ({@link State#COMPLETED}), until it expires.
 */
@Entity
@Table(name = "idempotent_request")
public class IdempotentRequestEntity {

  /** Where a key stands. */
  public enum State {
    IN_PROGRESS,
    COMPLETED
  }

  /** SHA-256 (hex) of tenant, principal and key: the key itself is not stored. */
  @Id
  @Column(name = "id")
  String id;

  /** Who holds the row: a claim that timed out and was taken over cannot complete it. */
  @Column(name = "claim", nullable = false)
  String claim;

  /** SHA-256 (hex) of the operation and the canonical request body. */
  @Column(name = "request_hash", nullable = false)
  String requestHash;

  @Column(name = "operation", nullable = false)
  String operation;

  @Column(name = "state", nullable = false)
  String state;

  /** Warden's request id of the recorded call. */
  @Column(name = "request_id")
  String requestId;

  /** Whose data key seals the answer (that of the call's audit record). */
  @Column(name = "key_subject")
  String keySubject;

  @Column(name = "answer_enc")
  byte[] answerEnc;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "expires_at", nullable = false)
  Instant expiresAt;

  protected IdempotentRequestEntity() {}

  IdempotentRequestEntity(
      String id,
      String claim,
      String requestHash,
      String operation,
      Instant createdAt,
      Instant expiresAt) {
    this.id = id;
    this.claim = claim;
    this.requestHash = requestHash;
    this.operation = operation;
    this.state = State.IN_PROGRESS.name();
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  State state() {
    return State.valueOf(state);
  }
}
