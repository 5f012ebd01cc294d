package dev.warden.audit.log;

import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checkpoints of the audit chain: the chain head signed ({@link CheckpointSigner}) and stored, and
 * logged with its hash ({@code WARDEN0331I}) so shipped logs keep it outside the database. {@link
 * AuditScheduler} takes one periodically, {@link AuditRetention} after each purge.
 */
@ApplicationScoped
public class AuditCheckpoints {
  private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class.getName());

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  private final CheckpointSigner signer;
  private final Clock clock;

  /** For the CDI proxy only. */
  protected AuditCheckpoints() {
    this(null, null);
  }

  @Inject
  AuditCheckpoints(CheckpointSigner signer, Clock clock) {
    this.signer = signer;
    this.clock = clock;
  }

  /** Checkpoints writing through {@code em}, in the caller's transaction (outside a container). */
  AuditCheckpoints(EntityManager em, CheckpointSigner signer, Clock clock) {
    this(signer, clock);
    this.em = em;
  }

  /**
   * Signs and stores a checkpoint of the head of every chain that has records (a concurrent
   * identical checkpoint is harmless); each names how many chains the log has, so together they
   * vouch for every chain. Empty when no chain has a record yet.
   *
   * @return the checkpoints, in chain order
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Checkpoint> checkpoint() {
    List<ChainHeadEntity> heads =
        em.createNamedQuery("ChainHead.all", ChainHeadEntity.class).getResultList();
    int chains = heads.isEmpty() ? 0 : heads.get(heads.size() - 1).chain();
    List<Checkpoint> made = new ArrayList<>();
    for (ChainHeadEntity head : heads) {
      if (head.sequence == 0) {
        continue;
      }
      Checkpoint cp =
          signer.sign(
              head.chain(), chains, new ChainHead(head.sequence, head.hash), clock.instant());
      if (em.find(CheckpointEntity.class, CheckpointEntity.key(cp.chain(), cp.sequence()))
          == null) {
        em.persist(CheckpointEntity.of(cp));
      }
      // the hash too: shipped logs keep the checkpoint outside the database
      LOG.log(
          Level.INFO,
          "WARDEN0331I: audit checkpoint at record {0} of chain {1} ({2} chains), hash {3}",
          new Object[] {
            Long.toString(cp.sequence()),
            cp.chain(),
            cp.chains(),
            HexFormat.of().formatHex(cp.hash())
          });
      made.add(cp);
    }
    return made;
  }

  /**
   * The head of a chain: the chain, its sequence number, its record (null ids when the chain is
   * empty or the record was purged) and whether a stored checkpoint is of exactly this head.
   */
  public record Head(
      int chain,
      long sequence,
      String recordId,
      String tenant,
      Instant createdAt,
      boolean checkpointed) {}

  /** The stored checkpoints, newest first, from {@code offset}. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Checkpoint> page(int offset, int limit) {
    return em
        .createQuery(
            "select c from Checkpoint c order by c.createdAt desc, c.chain, c.sequence desc",
            CheckpointEntity.class)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(CheckpointEntity::toCheckpoint)
        .toList();
  }

  /** The head of every chain now, in chain order. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Head> heads() {
    List<Head> heads = new ArrayList<>();
    for (ChainHeadEntity head :
        em.createNamedQuery("ChainHead.all", ChainHeadEntity.class).getResultList()) {
      long seq = head.sequence;
      List<Object[]> rows =
          em.createQuery(
                  "select r.recordId, r.tenant, r.createdAt from AuditRecord r where r.chain ="
                      + " :c and r.sequence = :s",
                  Object[].class)
              .setParameter("c", head.id)
              .setParameter("s", seq)
              .getResultList();
      Object[] row = rows.isEmpty() ? new Object[3] : rows.get(0);
      heads.add(
          new Head(
              head.chain(),
              seq,
              (String) row[0],
              (String) row[1],
              (Instant) row[2],
              seq > 0
                  && em.find(CheckpointEntity.class, CheckpointEntity.key(head.chain(), seq))
                      != null));
    }
    return heads;
  }
}
