package dev.warden.audit.log;

import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.PurgedRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The transactions of retention: legal holds, and one purge batch at a time. */
@ApplicationScoped
public class RetentionStore {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject CheckpointSigner signer;

  /** The ids of the records of one run of a chain. */
  private static final String RUN_IDS =
      "select r.recordId from AuditRecord r where r.chain = :chain and r.sequence between :from"
          + " and :to";

  /** What one purge batch did. */
  record Batch(long lastScanned, boolean more, long deleted, List<PurgedRange> ranges) {}

  @Transactional(TxType.REQUIRES_NEW)
  LegalHold place(
      LegalHold.Scope scope,
      String tenant,
      String pseudonym,
      String reason,
      String placedBy,
      Instant at) {
    LegalHoldEntity h = new LegalHoldEntity();
    h.holdId = UUID.randomUUID().toString();
    h.scope = scope.name();
    h.tenant = tenant;
    h.dataSubject = pseudonym;
    h.reason = reason;
    h.placedBy = placedBy;
    h.placedAt = at;
    em.persist(h);
    em.flush();
    return h.view();
  }

  /** The lifted hold, or null if there is no active hold with that id. */
  @Transactional(TxType.REQUIRES_NEW)
  LegalHold lift(String holdId, String liftedBy, String reason, Instant at) {
    // one conditional update: of two concurrent lifts, exactly one succeeds
    int lifted =
        em.createQuery(
                "update LegalHold h set h.liftedBy = :by, h.liftedAt = :at, h.liftReason = :reason"
                    + " where h.holdId = :id and h.liftedAt is null")
            .setParameter("by", liftedBy)
            .setParameter("at", at)
            .setParameter("reason", reason)
            .setParameter("id", holdId)
            .executeUpdate();
    if (lifted == 0) {
      return null;
    }
    LegalHoldEntity h = em.find(LegalHoldEntity.class, holdId);
    em.refresh(h);
    return h.view();
  }

  /** A hold by id, or null. */
  @Transactional(TxType.REQUIRES_NEW)
  LegalHold hold(String holdId) {
    LegalHoldEntity h = em.find(LegalHoldEntity.class, holdId);
    return h == null ? null : h.view();
  }

  /** The time of the last purge's record, or null. */
  @Transactional(TxType.REQUIRES_NEW)
  Instant lastPurge() {
    return em.createQuery(
            "select max(r.createdAt) from AuditRecord r where r.operation = :op", Instant.class)
        .setParameter("op", AuditRetention.PURGE)
        .getSingleResult();
  }

  @Transactional(TxType.REQUIRES_NEW)
  List<LegalHold> holds(boolean activeOnly) {
    return em
        .createNamedQuery(activeOnly ? "LegalHold.active" : "LegalHold.all", LegalHoldEntity.class)
        .getResultList()
        .stream()
        .map(LegalHoldEntity::view)
        .toList();
  }

  /** The numbers of the log's chains, in order. */
  @Transactional(TxType.REQUIRES_NEW)
  List<Integer> chains() {
    return em
        .createQuery("select h.id from ChainHead h order by h.id", Short.class)
        .getResultList()
        .stream()
        .map(Short::intValue)
        .toList();
  }

  /**
   * One batch of a purge of chain {@code chain}, under its head lock (so purges on several servers
   * take turns, and appends take another chain meanwhile): reads up to {@code limit} records after
   * {@code afterSeq} created before the policy's latest cutoff, deletes the expired, un-held runs
   * among them with their rows of the read index, and stores a sealed {@link PurgedRange} for each
   * run, in the same transaction.
   */
  @Transactional(TxType.REQUIRES_NEW)
  Batch purgeBatch(int chain, RetentionPolicy policy, Instant now, long afterSeq, int limit) {
    ChainHeadEntity head = ChainAppender.lockHead(em, chain);
    Set<String> tenants = new HashSet<>();
    Set<String> subjects = new HashSet<>();
    for (LegalHoldEntity h :
        em.createNamedQuery("LegalHold.active", LegalHoldEntity.class).getResultList()) {
      if (LegalHold.Scope.valueOf(h.scope) == LegalHold.Scope.TENANT) {
        tenants.add(h.tenant);
      } else {
        subjects.add(h.dataSubject);
      }
    }
    List<PurgePlan.Candidate> candidates =
        em
            .createQuery(
                "select r.sequence, r.tenant, r.dataSubject, r.createdAt, r.hash from AuditRecord"
                    + " r where r.chain = :chain and r.sequence > :after and r.sequence <= :head"
                    + " and r.createdAt < :cutoff order by r.sequence",
                Object[].class)
            .setParameter("chain", (short) chain)
            .setParameter("after", afterSeq)
            .setParameter("head", head.sequence)
            .setParameter("cutoff", policy.latestCutoff(now))
            .setMaxResults(limit)
            .getResultList()
            .stream()
            .map(
                row ->
                    new PurgePlan.Candidate(
                        (Long) row[0],
                        (String) row[1],
                        (String) row[2],
                        (Instant) row[3],
                        (byte[]) row[4]))
            .toList();
    List<PurgedRange> ranges = new ArrayList<>();
    long deleted = 0;
    for (PurgePlan.Run run :
        PurgePlan.runs(candidates, policy, new PurgePlan.Holds(tenants, subjects), now)) {
      PurgedRange range =
          signer.signPurge(
              chain, run.from(), run.to(), hashAt(chain, run.from() - 1), run.lastHash(), now);
      // the read index goes with the records: a read whose own record is purged, and the reads of
      // a purged record (the reads' own records stay until they expire themselves)
      em.createQuery(
              "delete from AuditRead a where a.readRecordId in ("
                  + RUN_IDS
                  + ")"
                  + " or a.recordId in ("
                  + RUN_IDS
                  + ")")
          .setParameter("chain", (short) chain)
          .setParameter("from", run.from())
          .setParameter("to", run.to())
          .executeUpdate();
      deleted +=
          em.createQuery(
                  "delete from AuditRecord r where r.chain = :chain and r.sequence between :from"
                      + " and :to")
              .setParameter("chain", (short) chain)
              .setParameter("from", run.from())
              .setParameter("to", run.to())
              .executeUpdate();
      em.persist(PurgedRangeEntity.of(range));
      em.flush();
      ranges.add(range);
    }
    long last = candidates.isEmpty() ? afterSeq : candidates.get(candidates.size() - 1).sequence();
    return new Batch(last, candidates.size() == limit, deleted, ranges);
  }

  /**
   * The hash of record {@code seq} of chain {@code chain}: stored, or the end of a purged range, or
   * a checkpoint.
   */
  private byte[] hashAt(int chain, long seq) {
    if (seq == ChainHead.GENESIS.sequence()) {
      return ChainHead.GENESIS.hash();
    }
    List<byte[]> stored =
        em.createQuery(
                "select r.hash from AuditRecord r where r.chain = :chain and r.sequence = :seq",
                byte[].class)
            .setParameter("chain", (short) chain)
            .setParameter("seq", seq)
            .getResultList();
    if (!stored.isEmpty()) {
      return stored.get(0);
    }
    List<PurgedRangeEntity> ranges =
        em.createNamedQuery("PurgedRange.endingAt", PurgedRangeEntity.class)
            .setParameter("chain", (short) chain)
            .setParameter("to", seq)
            .getResultList();
    if (!ranges.isEmpty()) {
      return ranges.get(0).hashAfter;
    }
    CheckpointEntity cp = em.find(CheckpointEntity.class, CheckpointEntity.key(chain, seq));
    if (cp != null) {
      return cp.hash;
    }
    throw new IllegalStateException(
        "record "
            + seq
            + " of chain "
            + chain
            + " is missing and no purge or checkpoint records its hash");
  }
}
