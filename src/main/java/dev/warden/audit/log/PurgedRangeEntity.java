package dev.warden.audit.log;

import dev.warden.audit.chain.PurgedRange;
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

/** A row of {@code audit_purged_range}: a sealed run of purged records ({@link PurgedRange}). */
@Entity(name = "PurgedRange")
@Table(name = "audit_purged_range")
@IdClass(PurgedRangeEntity.Key.class)
@NamedQuery(
    name = "PurgedRange.all",
    query = "select p from PurgedRange p order by p.chain, p.from")
@NamedQuery(
    name = "PurgedRange.ofChain",
    query = "select p from PurgedRange p where p.chain = :chain order by p.from")
@NamedQuery(
    name = "PurgedRange.endingAt",
    query = "select p from PurgedRange p where p.chain = :chain and p.to = :to")
public class PurgedRangeEntity {
  /** The primary key: chain and first sequence number. */
  public record Key(short chain, long from) implements Serializable {
    /** For JPA. */
    public Key() {
      this((short) 0, 0);
    }
  }

  @Id
  @Column(name = "chain")
  short chain;

  @Id
  @Column(name = "from_seq")
  long from;

  @Column(name = "to_seq")
  long to;

  @Column(name = "hash_before")
  byte[] hashBefore;

  @Column(name = "hash_after")
  byte[] hashAfter;

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
  public PurgedRangeEntity() {}

  static PurgedRangeEntity of(PurgedRange r) {
    PurgedRangeEntity e = new PurgedRangeEntity();
    e.chain = (short) r.chain();
    e.from = r.from();
    e.to = r.to();
    e.hashBefore = r.hashBefore();
    e.hashAfter = r.hashAfter();
    e.createdAt = r.createdAt();
    e.mac = r.seal();
    e.sealVersion = (short) r.sealKind().version();
    return e;
  }

  PurgedRange toRange() {
    return new PurgedRange(
        chain, from, to, hashBefore, hashAfter, createdAt, SealKind.ofVersion(sealVersion), mac);
  }
}
