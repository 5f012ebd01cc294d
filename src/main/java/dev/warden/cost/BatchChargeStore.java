package dev.warden.cost;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The rows of {@link BatchCharge}; each method its own short transaction. */
@ApplicationScoped
public class BatchChargeStore {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Transactional(TxType.REQUIRES_NEW)
  public void save(BatchCharge row) {
    em.persist(row);
  }

  /**
   * Takes the row of {@code batchId} out of the table: present for exactly one caller, across
   * servers (the delete that removed the row wins).
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<BatchCharge> claim(String batchId) {
    BatchCharge row = em.find(BatchCharge.class, batchId);
    if (row == null) {
      return Optional.empty();
    }
    em.detach(row);
    int deleted =
        em.createQuery("delete from BatchCharge b where b.batchId = :id")
            .setParameter("id", batchId)
            .executeUpdate();
    return deleted == 1 ? Optional.of(row) : Optional.empty();
  }

  /**
   * The rows last polled before {@code before}, oldest first, at most {@code limit}; each is marked
   * polled at {@code now}.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<BatchCharge> due(Instant before, Instant now, int limit) {
    List<BatchCharge> rows =
        em.createQuery(
                "select b from BatchCharge b where b.polledAt < :before order by b.polledAt",
                BatchCharge.class)
            .setParameter("before", before)
            .setMaxResults(limit)
            .getResultList();
    for (BatchCharge row : rows) {
      row.polledAt = now;
    }
    return rows;
  }

  @Transactional(TxType.REQUIRES_NEW)
  public Optional<BatchCharge> find(String batchId) {
    return Optional.ofNullable(em.find(BatchCharge.class, batchId));
  }
}
