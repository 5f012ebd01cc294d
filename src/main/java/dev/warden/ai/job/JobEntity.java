package dev.warden.ai.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Set;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One background job row. Field writes stay inside the class (Hibernate's dirty tracking). */
@Entity
@Table(name = "warden_job")
public class JobEntity {

  static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "incomplete");

  @Id
  @Column(name = "job_id")
  String id;

  @Column(name = "owner", nullable = false)
  String owner;

  @Column(name = "model", nullable = false)
  String model;

  @Column(name = "response_id", nullable = false)
  String responseId;

  @Column(name = "status", nullable = false)
  String status;

  @Column(name = "tokens_input", nullable = false)
  long tokensInput;

  @Column(name = "tokens_output", nullable = false)
  long tokensOutput;

  @Column(name = "error_code")
  String errorCode;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  long rowVersion;

  protected JobEntity() {}

  JobEntity(String id, String owner, String model, String responseId, String status, Instant now) {
    this.id = id;
    this.owner = owner;
    this.model = model;
    this.responseId = responseId;
    this.status = status == null ? "queued" : status;
    this.createdAt = now;
    this.updatedAt = now;
  }

  static boolean isTerminal(String status) {
    return TERMINAL.contains(status);
  }

  /** Records what the upstream says now; a job that has ended never changes again. */
  boolean update(String newStatus, long input, long output, String error, Instant now) {
    if (isTerminal(status) || newStatus == null) {
      return false;
    }
    status = newStatus;
    tokensInput = Math.max(tokensInput, input);
    tokensOutput = Math.max(tokensOutput, output);
    errorCode = error;
    updatedAt = now;
    return true;
  }

  boolean ownedBy(String caller) {
    return owner.equals(caller);
  }

  Job view() {
    return new Job(
        id,
        owner,
        model,
        responseId,
        status,
        tokensInput,
        tokensOutput,
        errorCode,
        createdAt,
        updatedAt);
  }
}
