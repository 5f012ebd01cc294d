package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code audit_checkpoint}: a MACed (sequence, hash, time). */
@Entity(name = "Checkpoint")
@Table(name = "audit_checkpoint")
@NamedQuery(name = "Checkpoint.all", query = "select c from Checkpoint c order by c.sequence")
public class CheckpointEntity {
  @Id
  @Column(name = "seq")
  long sequence;

  @Column(name = "hash")
  byte[] hash;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at")
  Instant createdAt;

  @Column(name = "mac")
  byte[] mac;

  /** For JPA. */
  public CheckpointEntity() {}
}
