package dev.warden.cost;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The rows of {@link BackgroundCharge}; each method its own short transaction. */
@ApplicationScoped
public class BackgroundChargeStore {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Transactional(TxType.REQUIRES_NEW)
  public void save(BackgroundCharge row) {
    em.persist(row);
  }

  /**
   * Takes the row of {@code responseId} out of the table: present for exactly one caller, across
   * servers (the delete that removed the row wins).
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<BackgroundCharge> claim(String responseId) {
    BackgroundCharge row = em.find(BackgroundCharge.class, responseId);
    if (row == null) {
      return Optional.empty();
    }
    em.detach(row);
    int deleted =
        em.createQuery("delete from BackgroundCharge b where b.responseId = :id")
            .setParameter("id", responseId)
            .executeUpdate();
    return deleted == 1 ? Optional.of(row) : Optional.empty();
  }

  /**
   * The rows last polled before {@code before}, oldest first, at most {@code limit}; each is marked
   * polled at {@code now}.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<BackgroundCharge> due(Instant before, Instant now, int limit) {
    List<BackgroundCharge> rows =
        em.createQuery(
                "select b from BackgroundCharge b where b.polledAt < :before order by b.polledAt",
                BackgroundCharge.class)
            .setParameter("before", before)
            .setMaxResults(limit)
            .getResultList();
    for (BackgroundCharge row : rows) {
      row.polledAt = now;
    }
    return rows;
  }

  @Transactional(TxType.REQUIRES_NEW)
  public Optional<BackgroundCharge> find(String responseId) {
    return Optional.ofNullable(em.find(BackgroundCharge.class, responseId));
  }
}
