package dev.warden.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Gives in-container tests the container-managed persistence context of the "warden" unit. */
@ApplicationScoped
public class JpaProbe {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  public EntityManager entityManager() {
    return em;
  }
}
