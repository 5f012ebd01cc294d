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
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
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
   * Signs and stores a checkpoint of the current chain head (a concurrent identical checkpoint is
   * harmless). Empty when the chain has no record yet.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<Checkpoint> checkpoint() {
    ChainHeadEntity head = em.find(ChainHeadEntity.class, ChainHeadEntity.ID);
    if (head == null || head.sequence == 0) {
      return Optional.empty();
    }
    Checkpoint cp = signer.sign(new ChainHead(head.sequence, head.hash), clock.instant());
    if (em.find(CheckpointEntity.class, cp.sequence()) == null) {
      em.persist(CheckpointEntity.of(cp));
    }
    // the hash too: shipped logs keep the checkpoint outside the database
    LOG.log(
        Level.INFO,
        "WARDEN0331I: audit checkpoint at record {0}, hash {1}",
        new Object[] {Long.toString(cp.sequence()), HexFormat.of().formatHex(cp.hash())});
    return Optional.of(cp);
  }

  /**
   * The chain head: its sequence number, its record (null ids when the chain is empty or the record
   * was purged) and whether a stored checkpoint is of exactly this head.
   */
  public record Head(
      long sequence, String recordId, String tenant, Instant createdAt, boolean checkpointed) {}

  /** The stored checkpoints, newest first, from {@code offset}. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Checkpoint> page(int offset, int limit) {
    return em
        .createQuery("select c from Checkpoint c order by c.sequence desc", CheckpointEntity.class)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(CheckpointEntity::toCheckpoint)
        .toList();
  }

  /** The chain head now. */
  @Transactional(TxType.REQUIRES_NEW)
  public Head head() {
    ChainHeadEntity head = em.find(ChainHeadEntity.class, ChainHeadEntity.ID);
    long seq = head == null ? 0 : head.sequence;
    List<Object[]> rows =
        em.createQuery(
                "select r.recordId, r.tenant, r.createdAt from AuditRecord r where r.sequence = :s",
                Object[].class)
            .setParameter("s", seq)
            .getResultList();
    Object[] row = rows.isEmpty() ? new Object[3] : rows.get(0);
    return new Head(
        seq,
        (String) row[0],
        (String) row[1],
        (Instant) row[2],
        seq > 0 && em.find(CheckpointEntity.class, seq) != null);
  }
}
