package dev.warden.audit.log;

import dev.warden.audit.chain.PurgedRange;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code audit_purged_range}: a MACed run of purged records ({@link PurgedRange}). */
@Entity(name = "PurgedRange")
@Table(name = "audit_purged_range")
@NamedQuery(name = "PurgedRange.all", query = "select p from PurgedRange p order by p.from")
@NamedQuery(name = "PurgedRange.endingAt", query = "select p from PurgedRange p where p.to = :to")
public class PurgedRangeEntity {
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

  @Column(name = "mac")
  byte[] mac;

  /** For JPA. */
  public PurgedRangeEntity() {}

  static PurgedRangeEntity of(PurgedRange r) {
    PurgedRangeEntity e = new PurgedRangeEntity();
    e.from = r.from();
    e.to = r.to();
    e.hashBefore = r.hashBefore();
    e.hashAfter = r.hashAfter();
    e.createdAt = r.createdAt();
    e.mac = r.mac();
    return e;
  }

  PurgedRange toRange() {
    return new PurgedRange(from, to, hashBefore, hashAfter, createdAt, mac);
  }
}
