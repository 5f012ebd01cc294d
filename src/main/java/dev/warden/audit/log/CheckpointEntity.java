package dev.warden.audit.log;

import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.SealKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code audit_checkpoint}: a sealed (chain, sequence, hash, time) ({@link Checkpoint}).
 */
@Entity(name = "Checkpoint")
@Table(name = "audit_checkpoint")
@IdClass(CheckpointEntity.Key.class)
@NamedQuery(
    name = "Checkpoint.all",
    query = "select c from Checkpoint c order by c.chain, c.sequence")
@NamedQuery(
    name = "Checkpoint.ofChain",
    query = "select c from Checkpoint c where c.chain = :chain order by c.sequence")
public class CheckpointEntity {
  /** The primary key: chain and sequence number. */
  public record Key(short chain, long sequence) implements Serializable {
    /** For JPA. */
    public Key() {
      this((short) 0, 0);
    }
  }

  @Id
  @Column(name = "chain")
  short chain;

  @Id
  @Column(name = "seq")
  long sequence;

  /** How many chains the log had when the checkpoint was made; null before it was partitioned. */
  @Column(name = "chains")
  Short chains;

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
    row.chain = (short) cp.chain();
    row.chains = cp.chains() == 0 ? null : (short) cp.chains();
    row.sequence = cp.sequence();
    row.hash = cp.hash();
    row.createdAt = cp.createdAt();
    row.mac = cp.seal();
    row.sealVersion = (short) cp.sealKind().version();
    return row;
  }

  /**
   * The checkpoint.
   *
   * @throws IllegalArgumentException if the row's chain numbers cannot be a checkpoint's (an edited
   *     row)
   */
  Checkpoint toCheckpoint() {
    return new Checkpoint(
        chain,
        chains == null ? 0 : chains,
        sequence,
        hash,
        createdAt,
        SealKind.ofVersion(sealVersion),
        mac);
  }

  /** The key of the checkpoint of record {@code sequence} of chain {@code chain}. */
  static Key key(int chain, long sequence) {
    return new Key((short) chain, sequence);
  }
}
