package dev.warden.it;

import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * A test-only hook that {@link ConsoleBrowserIT} adds to its deployment: it changes one column of
 * one audit record with plain SQL, as somebody with database access would, through the container's
 * persistence unit (the H2 file is locked by the server). Never part of the WAR.
 */
@Path("/it/console-tamper")
@Allowed(Role.AUDITOR_ALL_TENANTS)
@RequestScoped
public class ConsoleTamperProbe {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  /** Adds {@code delta} to the record's output tokens; answers the number of rows changed. */
  @POST
  @Transactional
  public String tamper(@QueryParam("record_id") String recordId, @QueryParam("delta") int delta) {
    return Integer.toString(
        em.createNativeQuery(
                "update audit_record set tokens_output = tokens_output + ?1 where record_id = ?2")
            .setParameter(1, delta)
            .setParameter(2, recordId)
            .executeUpdate());
  }
}
