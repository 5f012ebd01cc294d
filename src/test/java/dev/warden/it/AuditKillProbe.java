package dev.warden.it;

import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.AuditVerifier;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A test-only hook that {@link AuditKillIT} adds to the WAR it deploys on its own server (never to
 * the Arquillian deployments): the audit chain as the server sees it, through Warden's own {@link
 * AuditVerifier#verify()} and the container's persistence unit, so the test needs neither the
 * server's keysets nor its (locked) H2 file.
 */
@Path("/it/audit-kill")
@Allowed(Role.AUDITOR_ALL_TENANTS)
@RequestScoped
public class AuditKillProbe {

  @Inject AuditVerifier verifier;

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  /**
   * {@code {"intact", "break", "heads": {chain: sequence}, "records": [{"chain", "sequence",
   * "requestId", "streamed", "outcome"}], "usage": {requestId: entries}}}, the records in chain and
   * sequence order and the number of usage entries of each request.
   */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject chain() {
    VerificationResult result = verifier.verify();
    JsonArrayBuilder records = Json.createArrayBuilder();
    for (Object[] row :
        em.createQuery(
                "select r.sequence, r.requestId, r.streamed, r.outcome, r.errorType, r.chain"
                    + " from AuditRecord r order by r.chain, r.sequence",
                Object[].class)
            .getResultList()) {
      records.add(
          Json.createObjectBuilder()
              .add("chain", ((Short) row[5]).intValue())
              .add("sequence", (Long) row[0])
              .add("requestId", (String) row[1])
              .add("streamed", (Boolean) row[2])
              .add("outcome", (String) row[3])
              .add(
                  "errorType",
                  row[4] == null ? JsonValue.NULL : Json.createValue((String) row[4])));
    }
    JsonObjectBuilder heads = Json.createObjectBuilder();
    for (Object[] row :
        em.createQuery("select h.id, h.sequence from ChainHead h order by h.id", Object[].class)
            .getResultList()) {
      heads.add(row[0].toString(), (Long) row[1]);
    }
    JsonObjectBuilder usage = Json.createObjectBuilder();
    for (Object[] row :
        em.createQuery(
                "select u.requestId, count(u) from UsageEntry u group by u.requestId",
                Object[].class)
            .getResultList()) {
      usage.add((String) row[0], ((Long) row[1]).intValue());
    }
    return Json.createObjectBuilder()
        .add("usage", usage)
        .add("intact", result.intact())
        .add(
            "break",
            result.firstBreak().isPresent()
                ? Json.createValue(result.firstBreak().get().toString())
                : JsonValue.NULL)
        .add("heads", heads)
        .add("records", records)
        .build();
  }
}
