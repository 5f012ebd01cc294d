package dev.warden.identity;

import dev.warden.call.Caller;
import dev.warden.call.Ownership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;

/** {@link Ownership} in the table {@code warden_object_owner}; the first creator wins. */
@ApplicationScoped
public class OwnedObjects implements Ownership {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject Clock clock;

  @Override
  @Transactional(TxType.REQUIRES_NEW)
  public void own(String kind, String id, Caller caller) {
    String key = kind + ":" + id;
    if (id == null || em.find(OwnedObjectEntity.class, key) != null) {
      return;
    }
    em.persist(new OwnedObjectEntity(key, caller.principal(), caller.tenant(), clock.instant()));
  }

  @Override
  @Transactional(TxType.REQUIRES_NEW)
  public void ownLike(String kind, String id, String fromKind, String fromId) {
    OwnedObjectEntity from =
        fromId == null ? null : em.find(OwnedObjectEntity.class, fromKind + ":" + fromId);
    String key = kind + ":" + id;
    if (from == null || id == null || em.find(OwnedObjectEntity.class, key) != null) {
      return;
    }
    em.persist(new OwnedObjectEntity(key, from.principal, from.tenant, clock.instant()));
  }

  @Override
  @Transactional(TxType.REQUIRES_NEW)
  public boolean owns(String kind, String id, Caller caller) {
    OwnedObjectEntity row = id == null ? null : em.find(OwnedObjectEntity.class, kind + ":" + id);
    return row != null
        && row.principal.equals(caller.principal())
        && row.tenant.equals(caller.tenant());
  }
}
