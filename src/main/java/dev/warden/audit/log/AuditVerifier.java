package dev.warden.audit.log;

import dev.warden.audit.chain.BreakReason;
import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.ChainVerifier;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.PurgedRange;
import dev.warden.audit.chain.VerificationResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Verifies the stored audit chain ({@link ChainVerifier}): every record in sequence order against
 * the stored checkpoints, purged ranges and the signed chain head.
 */
@ApplicationScoped
public class AuditVerifier {
  private static final Logger LOG = Logger.getLogger(AuditVerifier.class.getName());

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  private final CheckpointSigner signer;

  /** For the CDI proxy only. */
  protected AuditVerifier() {
    this.signer = null;
  }

  @Inject
  AuditVerifier(CheckpointSigner signer) {
    this.signer = signer;
  }

  /** A verifier reading through {@code em}, in the caller's transaction (outside a container). */
  AuditVerifier(EntityManager em, CheckpointSigner signer) {
    this.em = em;
    this.signer = signer;
  }

  /**
   * Verifies the whole chain, records in sequence order, against all stored checkpoints, purged
   * ranges and the signed chain head (so a deleted tail is named even after the last checkpoint).
   * Records appended while it runs are not part of the check; a record past the head is named. A
   * purge committed while it runs can make a gap look unexplained: it then verifies once more. A
   * broken chain is logged ({@code WARDEN0330W}).
   *
   * @return intact, or the first broken record and the reason
   */
  @Transactional(TxType.REQUIRES_NEW)
  public VerificationResult verify() {
    return verify(Progress.NONE);
  }

  /**
   * Told how far a verification has come: the records checked so far, every {@value
   * #PROGRESS_EVERY} records (from 0 again if the verification starts over after a purge).
   */
  @FunctionalInterface
  public interface Progress {
    /** No one listens. */
    Progress NONE = checked -> {};

    void checked(long records);
  }

  /** How many records are checked between two calls of a {@link Progress}. */
  public static final int PROGRESS_EVERY = 1000;

  /** {@link #verify()}, telling {@code progress} how far it has come. */
  @Transactional(TxType.REQUIRES_NEW)
  public VerificationResult verify(Progress progress) {
    long rangesBefore = countRanges();
    VerificationResult result = verifyOnce(progress);
    if (!result.intact() && countRanges() != rangesBefore) {
      result = verifyOnce(progress);
    }
    if (!result.intact()) {
      LOG.log(
          Level.WARNING,
          "WARDEN0330W: the audit chain is broken: {0}",
          result.firstBreak().orElseThrow());
    }
    return result;
  }

  private long countRanges() {
    return em.createQuery("select count(p) from PurgedRange p", Long.class).getSingleResult();
  }

  /** The records a verification starting now checks: those up to the chain head. */
  @Transactional(TxType.REQUIRES_NEW)
  public long recordsToCheck() {
    long head = em.createQuery("select h.sequence from ChainHead h", Long.class).getSingleResult();
    return em.createQuery(
            "select count(r) from AuditRecord r where r.sequence <= :head", Long.class)
        .setParameter("head", head)
        .getSingleResult();
  }

  private VerificationResult verifyOnce(Progress progress) {
    // read in this order: checkpoints and ranges, then the head, then the records up to the head
    List<Checkpoint> checkpoints =
        em.createNamedQuery("Checkpoint.all", CheckpointEntity.class).getResultList().stream()
            .map(CheckpointEntity::toCheckpoint)
            .collect(Collectors.toList());
    List<PurgedRange> purged =
        em.createNamedQuery("PurgedRange.all", PurgedRangeEntity.class).getResultList().stream()
            .map(PurgedRangeEntity::toRange)
            .collect(Collectors.toList());
    Object[] headRow =
        em.createQuery("select h.sequence, h.hash, h.mac from ChainHead h", Object[].class)
            .getSingleResult();
    ChainHead head = storedHead(headRow);
    byte[] headMac = (byte[]) headRow[2];
    VerificationResult result;
    long[] read = {0};
    try (Stream<AuditRecord> records =
        em.createNamedQuery("AuditRecord.inOrderUpTo", AuditRecord.class)
            .setParameter("head", head.sequence())
            .setHint("org.hibernate.fetchSize", 500)
            .setHint("org.hibernate.readOnly", true)
            .getResultStream()) {
      Iterable<ChainRecord> chain =
          () ->
              records
                  .map(
                      r -> {
                        ChainRecord c = AuditRecords.chainRecord(r);
                        em.detach(r);
                        if (++read[0] % PROGRESS_EVERY == 0) {
                          progress.checked(read[0]);
                        }
                        return c;
                      })
                  .iterator();
      result = new ChainVerifier(signer).verify(chain, checkpoints, purged, head, headMac);
    }
    if (result.intact()) {
      // a record past the head as it is now was not appended through the head: inserted
      Long max =
          em.createQuery("select max(r.sequence) from AuditRecord r", Long.class).getSingleResult();
      long now = em.createQuery("select h.sequence from ChainHead h", Long.class).getSingleResult();
      if (max != null && max > now) {
        result =
            result.withBreak(
                new ChainBreak(
                    now + 1,
                    null,
                    BreakReason.RECORD_INSERTED,
                    "records past the chain head at " + now));
      }
    }
    return result;
  }

  private static ChainHead storedHead(Object[] row) {
    byte[] hash = (byte[]) row[1];
    if (hash == null || hash.length != ChainHasher.HASH_LENGTH) {
      // an edited head row: verify against an impossible head, which names it
      hash = new byte[ChainHasher.HASH_LENGTH];
      hash[0] = 1;
    }
    return new ChainHead((Long) row[0], hash);
  }
}
