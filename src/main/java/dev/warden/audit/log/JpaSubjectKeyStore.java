package dev.warden.audit.log;

import dev.warden.crypto.SubjectKeyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.Optional;

/**
 * {@link SubjectKeyStore} over {@code audit_subject_key}. Every method runs in its own short
 * transaction. {@link #insertIfAbsent} is atomic across servers: {@code INSERT ... ON CONFLICT DO
 * NOTHING} (PostgreSQL, and H2 in PostgreSQL mode) waits for a concurrent insert of the same
 * subject and then does nothing, and the following read returns whichever key was stored.
 */
@ApplicationScoped
public class JpaSubjectKeyStore implements SubjectKeyStore {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Override
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<byte[]> find(String subjectId) {
    SubjectKeyEntity key = em.find(SubjectKeyEntity.class, subjectId);
    return key == null ? Optional.empty() : Optional.of(key.wrappedKey.clone());
  }

  @Override
  @Transactional(TxType.REQUIRES_NEW)
  public byte[] insertIfAbsent(String subjectId, byte[] wrappedKey) {
    em.createNativeQuery(
            "insert into audit_subject_key (subject_id, wrapped_key) values (?1, ?2)"
                + " on conflict do nothing")
        .setParameter(1, subjectId)
        .setParameter(2, wrappedKey)
        .executeUpdate();
    em.clear();
    SubjectKeyEntity stored = em.find(SubjectKeyEntity.class, subjectId);
    if (stored == null) {
      throw new IllegalStateException("the subject key vanished right after its insert");
    }
    return stored.wrappedKey.clone();
  }

  @Override
  @Transactional(TxType.REQUIRES_NEW)
  public boolean replace(String subjectId, byte[] expected, byte[] wrappedKey) {
    return em.createNamedQuery("SubjectKey.replace")
            .setParameter("id", subjectId)
            .setParameter("expected", expected)
            .setParameter("key", wrappedKey)
            .executeUpdate()
        == 1;
  }

  /** Up to {@code limit} subject ids after {@code after}, in order (for the re-wrap job). */
  @Transactional(TxType.REQUIRES_NEW)
  public java.util.List<String> subjectIdsAfter(String after, int limit) {
    return em.createQuery(
            "select k.subjectId from SubjectKey k where k.subjectId > :after order by k.subjectId",
            String.class)
        .setParameter("after", after)
        .setMaxResults(limit)
        .getResultList();
  }

  @Override
  @Transactional(TxType.REQUIRES_NEW)
  public boolean delete(String subjectId) {
    return em.createNamedQuery("SubjectKey.delete").setParameter("id", subjectId).executeUpdate()
        > 0;
  }
}
