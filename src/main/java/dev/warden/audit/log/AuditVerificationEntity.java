package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code audit_verification} (migration V57): one background chain verification. */
@Entity(name = "AuditVerification")
@Table(name = "audit_verification")
public class AuditVerificationEntity {
  @Id
  @Column(name = "verification_id")
  String id;

  @Column(name = "state")
  String state;

  @Column(name = "requested_by")
  String requestedBy;

  @Column(name = "records_checked")
  long recordsChecked;

  @Column(name = "records_total")
  long recordsTotal;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "started_at")
  Instant startedAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "updated_at")
  Instant updatedAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "finished_at")
  Instant finishedAt;

  @Column(name = "ok")
  Boolean ok;

  @Column(name = "checkpoints_checked")
  Long checkpointsChecked;

  @Column(name = "purged_ranges_checked")
  Long purgedRangesChecked;

  @Column(name = "head_sequence")
  Long headSequence;

  /** The chain of the first break (null for jobs run before the log was partitioned: chain 1). */
  @Column(name = "break_chain")
  Short breakChain;

  @Column(name = "break_sequence")
  Long breakSequence;

  @Column(name = "break_record_id")
  String breakRecordId;

  @Column(name = "break_reason")
  String breakReason;

  @Column(name = "break_detail")
  String breakDetail;

  @Column(name = "error")
  String error;

  /** For JPA. */
  public AuditVerificationEntity() {}
}
