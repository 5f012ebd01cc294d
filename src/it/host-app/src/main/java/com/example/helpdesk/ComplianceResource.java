package com.example.helpdesk;

import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.AuditRecord;
import dev.warden.audit.log.AuditSearch;
import dev.warden.audit.log.AuditVerifier;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The helpdesk's compliance page, over Warden's audit log (web.xml: role {@code auditor}). */
@Path("compliance")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ComplianceResource {

  public record Call(
      String requestId,
      String principal,
      String tenant,
      String operation,
      String promptId,
      String outcome) {}

  public record Integrity(boolean intact, long recordsChecked) {}

  @Inject AuditSearch search;
  @Inject AuditVerifier verifier;

  /** Today's recorded calls of {@code principal}, newest first. */
  @GET
  @Path("calls")
  public List<Call> calls(@QueryParam("principal") String principal) {
    Instant now = Instant.now();
    AuditSearch.Query query =
        new AuditSearch.Query(
            now.truncatedTo(ChronoUnit.DAYS),
            now.plusSeconds(60),
            principal,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    return search.search(query, 0, 1000).stream().map(ComplianceResource::call).toList();
  }

  @GET
  @Path("integrity")
  public Integrity integrity() {
    VerificationResult result = verifier.verify();
    return new Integrity(result.intact(), result.recordsChecked());
  }

  private static Call call(AuditRecord r) {
    return new Call(
        r.getRequestId(),
        r.getPrincipal(),
        r.getTenant(),
        r.getOperation(),
        r.getPromptId(),
        r.getOutcome());
  }
}
