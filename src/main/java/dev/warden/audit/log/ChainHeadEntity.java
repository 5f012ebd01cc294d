package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row of {@code audit_chain_head}: sequence and hash of the last record. */
@Entity(name = "ChainHead")
@Table(name = "audit_chain_head")
public class ChainHeadEntity {
  /** The only id. */
  public static final short ID = 1;

  @Id
  @Column(name = "id")
  short id;

  @Column(name = "seq")
  long sequence;

  @Column(name = "hash")
  byte[] hash;

  /** MAC of (sequence, hash) under the checkpoint key; null only before the first signed append. */
  @Column(name = "mac")
  byte[] mac;

  /** For JPA. */
  public ChainHeadEntity() {}
}
