package dev.warden.audit.log;

import dev.warden.config.ConfigProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chains the audit log is partitioned into ({@link dev.warden.audit.chain.ChainHasher}):
 * {@value #CHAINS} of them (default {@value #DEFAULT_CHAINS}), each a head row of {@code
 * audit_chain_head} numbered from 1. An append takes any chain no other transaction holds, so
 * writers on different servers (or appending at the same moment) do not wait on one row. The
 * missing head rows are created on first use, by whichever server comes first. Lowering the setting
 * stops appends to the chains above it; their records stay and keep being verified.
 */
@ApplicationScoped
public class AuditChains {
  private static final Logger LOG = Logger.getLogger(AuditChains.class.getName());

  /** How many chains appends use. */
  public static final String CHAINS = "warden.audit.chains";

  /** The default number of chains. */
  public static final int DEFAULT_CHAINS = 4;

  /** The most chains (head ids are small integers). */
  public static final int MAX_CHAINS = 1000;

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  private volatile int ensured;

  private final int fixed;

  /** Reads the number of chains from {@value #CHAINS}. */
  public AuditChains() {
    this.fixed = 0;
  }

  /** Chains writing through {@code em}, {@code n} of them (outside a container). */
  AuditChains(EntityManager em, int n) {
    this.em = em;
    this.fixed = n;
  }

  /**
   * How many chains appends use; their head rows exist once this returns.
   *
   * @throws RuntimeException if the head rows could not be created (the database away)
   */
  public int count() {
    int n = ensured;
    if (n == 0) {
      n = fixed > 0 ? fixed : ConfigProducer.settings().integer(CHAINS, DEFAULT_CHAINS, 1);
      if (n > MAX_CHAINS) {
        throw new IllegalStateException(CHAINS + " must be at most " + MAX_CHAINS + ": " + n);
      }
      ensure(n);
      ensured = n;
    }
    return n;
  }

  /**
   * Creates the head rows of chains 1 to {@code n} that are missing (a new chain starts at the
   * genesis head, with no MAC until its first append).
   */
  @Transactional(TxType.REQUIRES_NEW)
  void ensure(int n) {
    List<Short> present =
        em.createQuery("select h.id from ChainHead h where h.id <= :n", Short.class)
            .setParameter("n", (short) n)
            .getResultList();
    if (present.size() >= n) {
      return;
    }
    int created = 0;
    for (int chain = 1; chain <= n; chain++) {
      if (!present.contains((short) chain)) {
        em.persist(ChainHeadEntity.genesis(chain));
        created++;
      }
    }
    em.flush();
    LOG.log(
        Level.INFO,
        "WARDEN0334I: the audit log now has {0} chains ({1} created)",
        new Object[] {n, created});
  }
}
