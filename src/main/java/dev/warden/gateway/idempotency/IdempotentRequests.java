package dev.warden.gateway.idempotency;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.Optional;

/**
 * The short transactions on {@code idempotent_request}, each its own, so a claim is visible to
 * every server before the call starts (a bean of its own: interceptors need a call).
 */
@ApplicationScoped
public class IdempotentRequests {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  /** The row, detached. */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<IdempotentRequestEntity> find(String id) {
    IdempotentRequestEntity row = em.find(IdempotentRequestEntity.class, id);
    if (row != null) {
      em.detach(row);
    }
    return Optional.ofNullable(row);
  }

  /**
   * Inserts a claim.
   *
   * @throws jakarta.persistence.PersistenceException (possibly wrapped) if the id exists: another
   *     request claimed the key first
   */
  @Transactional(TxType.REQUIRES_NEW)
  public void insert(IdempotentRequestEntity row) {
    em.persist(row);
    em.flush();
  }

  /** Deletes the row if it is still this claim's; returns whether it did. */
  @Transactional(TxType.REQUIRES_NEW)
  public boolean delete(String id, String claim) {
    return em.createQuery("delete from IdempotentRequestEntity r where r.id = :id and r.claim = :c")
            .setParameter("id", id)
            .setParameter("c", claim)
            .executeUpdate()
        == 1;
  }

  /** Stores the sealed answer of this claim; returns whether the claim still held the row. */
  @Transactional(TxType.REQUIRES_NEW)
  public boolean complete(
      String id, String claim, String requestId, String keySubject, byte[] answer) {
    return em.createQuery(
                "update IdempotentRequestEntity r set r.state = :done, r.requestId = :rid,"
                    + " r.keySubject = :ks, r.answerEnc = :a"
                    + " where r.id = :id and r.claim = :c and r.state = :running")
            .setParameter("done", IdempotentRequestEntity.State.COMPLETED.name())
            .setParameter("rid", requestId)
            .setParameter("ks", keySubject)
            .setParameter("a", answer)
            .setParameter("id", id)
            .setParameter("c", claim)
            .setParameter("running", IdempotentRequestEntity.State.IN_PROGRESS.name())
            .executeUpdate()
        == 1;
  }

  /** Deletes the rows expired at {@code now}; returns how many. */
  @Transactional(TxType.REQUIRES_NEW)
  public int purgeExpired(Instant now) {
    return em.createQuery("delete from IdempotentRequestEntity r where r.expiresAt <= :now")
        .setParameter("now", now)
        .executeUpdate();
  }
}
