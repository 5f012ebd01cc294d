package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A row of {@code audit_chain_head}: the sequence and hash of the last record of one chain; its id
 * is the chain's number ({@link dev.warden.audit.chain.ChainHasher}).
 */
@Entity(name = "ChainHead")
@Table(name = "audit_chain_head")
@NamedQuery(name = "ChainHead.all", query = "select h from ChainHead h order by h.id")
public class ChainHeadEntity {
  /** The id of the first chain, the one every log has. */
  public static final short ID = 1;

  /** The chain's number. */
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

  /** The head of a chain that has no record yet. */
  static ChainHeadEntity genesis(int chain) {
    ChainHeadEntity h = new ChainHeadEntity();
    h.id = (short) chain;
    h.sequence = dev.warden.audit.chain.ChainHead.GENESIS.sequence();
    h.hash = dev.warden.audit.chain.ChainHead.GENESIS.hash();
    return h;
  }

  /** The chain's number. */
  int chain() {
    return id;
  }
}
