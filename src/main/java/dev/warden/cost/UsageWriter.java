package dev.warden.cost;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/** Writes one ledger entry in a transaction of its own (so a failure stays the ledger's). */
@ApplicationScoped
public class UsageWriter {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Transactional(TxType.REQUIRES_NEW)
  public void write(UsageEntry entry) {
    em.persist(entry);
  }
}
