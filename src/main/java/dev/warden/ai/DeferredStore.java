package dev.warden.ai;

import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rows of deferred calls; each method its own short transaction, never across an upstream call.
 * {@link #finish} is the claim that makes exactly one server settle and report a call.
 */
@ApplicationScoped
public class DeferredStore {

  static final String SUBMITTED = DeferredCall.Status.SUBMITTED.name();

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Transactional(TxType.REQUIRES_NEW)
  public void save(List<DeferredCallEntity> rows) {
    rows.forEach(em::persist);
  }

  @Transactional(TxType.REQUIRES_NEW)
  public Optional<DeferredCallEntity> find(String id) {
    DeferredCallEntity row = id == null ? null : em.find(DeferredCallEntity.class, id);
    if (row != null) {
      em.detach(row);
    }
    return Optional.ofNullable(row);
  }

  /** The batches with calls still submitted, the longest waiting first, at most {@code limit}. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<String> openBatches(int limit) {
    return em.createQuery(
            "select d.batchId from DeferredCallEntity d where d.status = :s group by d.batchId"
                + " order by min(d.startedAt)",
            String.class)
        .setParameter("s", SUBMITTED)
        .setMaxResults(limit)
        .getResultList();
  }

  /** The calls of {@code batchId} still submitted. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<DeferredCallEntity> submitted(String batchId) {
    List<DeferredCallEntity> rows =
        em.createQuery(
                "select d from DeferredCallEntity d where d.batchId = :b and d.status = :s"
                    + " order by d.id",
                DeferredCallEntity.class)
            .setParameter("b", batchId)
            .setParameter("s", SUBMITTED)
            .getResultList();
    rows.forEach(em::detach);
    return rows;
  }

  /**
   * Records how a submitted call ended, if it is still submitted: {@code true} for the one caller
   * (on any server) whose update changed the row.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public boolean finish(
      String id,
      DeferredCall.Status status,
      String upstreamStatus,
      String outputFileId,
      String answeredBy,
      String errorCode,
      TokenUsage usage,
      Instant now) {
    return em.createQuery(
                "update DeferredCallEntity d set d.status = :status, d.upstreamStatus = :up,"
                    + " d.outputFileId = :out, d.answeredBy = :by, d.errorCode = :code,"
                    + " d.tokensInput = :ti, d.tokensCached = :tc, d.tokensOutput = :to,"
                    + " d.tokensReasoning = :tr, d.finishedAt = :now, d.updatedAt = :now"
                    + " where d.id = :id and d.status = :submitted")
            .setParameter("status", status.name())
            .setParameter("up", upstreamStatus)
            .setParameter("out", outputFileId)
            .setParameter("by", answeredBy)
            .setParameter("code", errorCode)
            .setParameter("ti", usage.input())
            .setParameter("tc", usage.cachedInput())
            .setParameter("to", usage.output())
            .setParameter("tr", usage.reasoning())
            .setParameter("now", now)
            .setParameter("id", id)
            .setParameter("submitted", SUBMITTED)
            .executeUpdate()
        == 1;
  }

  /** Records the cost of a call that has ended. */
  @Transactional(TxType.REQUIRES_NEW)
  public void cost(String id, BigDecimal cost) {
    em.createQuery("update DeferredCallEntity d set d.cost = :c where d.id = :id")
        .setParameter("c", cost)
        .setParameter("id", id)
        .executeUpdate();
  }
}
