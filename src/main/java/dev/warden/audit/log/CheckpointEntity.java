package dev.warden.audit.log;

import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.SealKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code audit_checkpoint}: a sealed (sequence, hash, time) ({@link Checkpoint}). */
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

  /** The seal: a MAC or a signature, as {@link #sealVersion} says. */
  @Column(name = "mac")
  byte[] mac;

  /** The {@link SealKind#version()} of {@link #mac}: 1 for rows made before signing keys. */
  @Column(name = "seal_version")
  short sealVersion;

  /** For JPA. */
  public CheckpointEntity() {}

  static CheckpointEntity of(Checkpoint cp) {
    CheckpointEntity row = new CheckpointEntity();
    row.sequence = cp.sequence();
    row.hash = cp.hash();
    row.createdAt = cp.createdAt();
    row.mac = cp.seal();
    row.sealVersion = (short) cp.sealKind().version();
    return row;
  }

  Checkpoint toCheckpoint() {
    return new Checkpoint(sequence, hash, createdAt, SealKind.ofVersion(sealVersion), mac);
  }
}
