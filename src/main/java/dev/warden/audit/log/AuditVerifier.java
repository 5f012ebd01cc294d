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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Verifies the stored audit log ({@link ChainVerifier}), chain by chain: every record of a chain in
 * sequence order against the chain's checkpoints, purged ranges and signed head. A chain a
 * checkpoint vouches for ({@link Checkpoint#chains()}) but whose head is gone is named, and so are
 * records of a chain without a head.
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

  /** The records a verification starting now checks: those up to their chain's head. */
  @Transactional(TxType.REQUIRES_NEW)
  public long recordsToCheck() {
    return em.createQuery(
            "select count(r) from AuditRecord r, ChainHead h where r.chain = h.id and r.sequence"
                + " <= h.sequence",
            Long.class)
        .getSingleResult();
  }

  private VerificationResult verifyOnce(Progress progress) {
    // read in this order: checkpoints and ranges, then the heads, then each chain's records up to
    // its head
    Map<Integer, List<Checkpoint>> checkpoints = new TreeMap<>();
    int vouched = 0;
    int last = 0;
    ChainBreak unreadable = null;
    for (CheckpointEntity row :
        em.createNamedQuery("Checkpoint.all", CheckpointEntity.class).getResultList()) {
      Checkpoint cp;
      try {
        cp = row.toCheckpoint();
      } catch (IllegalArgumentException e) {
        // chain numbers no checkpoint can have: an edited row
        if (unreadable == null) {
          unreadable =
              new ChainBreak(
                  Math.max(row.chain, ChainHasher.FIRST_CHAIN),
                  row.sequence,
                  null,
                  BreakReason.CHECKPOINT_FORGED,
                  "the checkpoint at " + row.sequence + " names chains it cannot have");
        }
        continue;
      }
      checkpoints.computeIfAbsent(cp.chain(), c -> new ArrayList<>()).add(cp);
      last = Math.max(last, cp.chain());
      if (cp.chains() > vouched && signer.verify(cp)) {
        vouched = cp.chains();
      }
    }
    if (unreadable != null) {
      return new ChainVerifier(signer).verify(List.of(), List.of()).withBreak(unreadable);
    }
    Map<Integer, List<PurgedRange>> purged = new TreeMap<>();
    for (PurgedRangeEntity row :
        em.createNamedQuery("PurgedRange.all", PurgedRangeEntity.class).getResultList()) {
      PurgedRange r = row.toRange();
      purged.computeIfAbsent(r.chain(), c -> new ArrayList<>()).add(r);
      last = Math.max(last, r.chain());
    }
    Map<Integer, ChainHeadEntity> heads = new TreeMap<>();
    for (ChainHeadEntity h :
        em.createNamedQuery("ChainHead.all", ChainHeadEntity.class).getResultList()) {
      em.detach(h);
      heads.put(h.chain(), h);
      last = Math.max(last, h.chain());
    }
    last = Math.max(last, vouched);
    List<VerificationResult> results = new ArrayList<>();
    long[] read = {0};
    for (int chain = ChainHasher.FIRST_CHAIN; chain <= last; chain++) {
      ChainHeadEntity row = heads.get(chain);
      VerificationResult result;
      if (row == null) {
        result =
            new ChainVerifier(signer, chain)
                .verify(List.of(), List.of())
                .withBreak(
                    new ChainBreak(
                        chain,
                        1,
                        null,
                        BreakReason.RECORD_MISSING,
                        "chain "
                            + chain
                            + " has no head: it was deleted, yet "
                            + (vouched >= chain
                                ? "a checkpoint vouches for " + vouched + " chains"
                                : "it has checkpoints or purged ranges")));
      } else {
        result =
            verifyChain(
                chain,
                row,
                checkpoints.getOrDefault(chain, List.of()),
                purged.getOrDefault(chain, List.of()),
                progress,
                read);
      }
      results.add(result);
      if (!result.intact()) {
        break;
      }
    }
    VerificationResult result = VerificationResult.combine(results);
    if (result.intact()) {
      ChainBreak past = pastTheHeads();
      if (past != null) {
        result = result.withBreak(past);
      }
    }
    return result;
  }

  /**
   * A record past its chain's head as it is now, or in a chain without a head: not appended through
   * a head, so inserted. Null if there is none.
   */
  private ChainBreak pastTheHeads() {
    Map<Integer, Long> now = new HashMap<>();
    for (Object[] h :
        em.createQuery("select h.id, h.sequence from ChainHead h", Object[].class)
            .getResultList()) {
      now.put(((Short) h[0]).intValue(), (Long) h[1]);
    }
    for (Object[] m :
        em.createQuery(
                "select r.chain, max(r.sequence) from AuditRecord r group by r.chain order by"
                    + " r.chain",
                Object[].class)
            .getResultList()) {
      int chain = ((Short) m[0]).intValue();
      long max = (Long) m[1];
      Long head = now.get(chain);
      if (head == null || max > head) {
        return new ChainBreak(
            Math.max(chain, ChainHasher.FIRST_CHAIN),
            (head == null ? 0 : head) + 1,
            null,
            BreakReason.RECORD_INSERTED,
            head == null
                ? "records of chain " + chain + ", which has no head"
                : "records past the head of chain " + chain + " at " + head);
      }
    }
    return null;
  }

  private VerificationResult verifyChain(
      int chain,
      ChainHeadEntity row,
      List<Checkpoint> checkpoints,
      List<PurgedRange> purged,
      Progress progress,
      long[] read) {
    ChainHead head = storedHead(row);
    try (Stream<AuditRecord> records =
        em.createNamedQuery("AuditRecord.inOrderUpTo", AuditRecord.class)
            .setParameter("chain", (short) chain)
            .setParameter("head", head.sequence())
            .setHint("org.hibernate.fetchSize", 500)
            .setHint("org.hibernate.readOnly", true)
            .getResultStream()) {
      Iterable<ChainRecord> inOrder =
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
      return new ChainVerifier(signer, chain).verify(inOrder, checkpoints, purged, head, row.mac);
    }
  }

  private static ChainHead storedHead(ChainHeadEntity row) {
    byte[] hash = row.hash;
    if (hash == null || hash.length != ChainHasher.HASH_LENGTH) {
      // an edited head row: verify against an impossible head, which names it
      hash = new byte[ChainHasher.HASH_LENGTH];
      hash[0] = 1;
    }
    return new ChainHead(Math.max(row.sequence, 0), hash);
  }
}
