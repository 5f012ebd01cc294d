package dev.warden.gateway.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.Optional;

/** The short transactions of authenticating a key (a bean of its own: interceptors need a call). */
@ApplicationScoped
public class ApiKeyRows {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  /** The key's row, detached. */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<ApiKeyEntity> load(String id) {
    ApiKeyEntity row = em.find(ApiKeyEntity.class, id);
    if (row != null) {
      em.detach(row);
    }
    return Optional.ofNullable(row);
  }

  /** Records that the key was used (at most once a minute per key and server). */
  @Transactional(TxType.REQUIRES_NEW)
  public void markUsed(String id, Instant now) {
    em.createQuery("update ApiKeyEntity k set k.lastUsedAt = :now where k.id = :id")
        .setParameter("now", now)
        .setParameter("id", id)
        .executeUpdate();
  }
}
