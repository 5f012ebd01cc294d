package dev.warden.ai.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The job rows; each method its own short transaction (never across an upstream call). */
@ApplicationScoped
public class JobStore {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject Clock clock;

  @Transactional(TxType.REQUIRES_NEW)
  public Job create(String owner, String model, String responseId, String status) {
    JobEntity row =
        new JobEntity(
            "job_" + UUID.randomUUID().toString().replace("-", ""),
            owner,
            model,
            responseId,
            status,
            clock.instant());
    em.persist(row);
    return row.view();
  }

  @Transactional(TxType.REQUIRES_NEW)
  public Optional<Job> find(String id, String owner) {
    JobEntity row = id == null ? null : em.find(JobEntity.class, id);
    return row == null || !row.ownedBy(owner) ? Optional.empty() : Optional.of(row.view());
  }

  /** {@code owner}'s jobs, newest first, {@code limit} from {@code offset}. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Job> ofOwner(String owner, int offset, int limit) {
    return em
        .createQuery(
            "select j from JobEntity j where j.owner = :owner order by j.createdAt desc, j.id",
            JobEntity.class)
        .setParameter("owner", owner)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(JobEntity::view)
        .toList();
  }

  /** The jobs that have not ended, oldest first, at most {@code limit}. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Job> running(int limit) {
    return em
        .createQuery(
            "select j from JobEntity j where j.status not in :done order by j.createdAt",
            JobEntity.class)
        .setParameter("done", JobEntity.TERMINAL)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(JobEntity::view)
        .toList();
  }

  @Transactional(TxType.REQUIRES_NEW)
  public Optional<Job> update(String id, String status, long input, long output, String error) {
    JobEntity row = em.find(JobEntity.class, id);
    if (row == null) {
      return Optional.empty();
    }
    row.update(status, input, output, error, clock.instant());
    return Optional.of(row.view());
  }
}
