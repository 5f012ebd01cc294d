package dev.warden.gateway.api;

import dev.warden.ai.DeferredCall;
import dev.warden.ai.DeferredCalls;
import dev.warden.ai.NoSuchDeferredCallException;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The status of the caller's own deferred calls ({@code /api/deferred/{id}}, role {@code ai-user}):
 * calls an application submitted through the Batch API ({@code OpenAi.defer}) for the same
 * principal and tenant. Another caller's id answers 404, exactly like a missing one. The answer
 * itself is read by the application ({@code OpenAi.deferredResult}).
 */
@Path("/api/deferred")
@Allowed(Role.AI_USER)
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DeferredResource {

  @Inject DeferredCalls deferred;

  @Context SecurityContext security;

  @GET
  @Path("/{id}")
  @Operation(
      summary = "Read the status of one of your deferred calls",
      description =
          "A call deferred through the Batch API by the authenticated principal and tenant: status"
              + " (SUBMITTED, COMPLETED, FAILED, EXPIRED, CANCELLED), batch id, model requested and"
              + " answering, tokens and cost at the batch price once it has ended, or the error"
              + " code. 404 when there is no such call or it belongs to someone else. Role"
              + " ai-user.")
  public JsonObject get(@PathParam("id") String id) {
    DeferredCall d;
    try {
      d = deferred.status(id, AccessFilter.identityOf(security).caller());
    } catch (NoSuchDeferredCallException e) {
      throw new ProblemException(404, "not_found", "no deferred call " + id);
    }
    JsonObjectBuilder o =
        Json.createObjectBuilder()
            .add("id", d.id())
            .add("request_id", d.requestId())
            .add("model", d.model())
            .add("status", d.status().name())
            .add("done", d.done())
            .add("submitted_at", d.submittedAt().toString());
    JsonFields.nullable(o, "batch_id", d.batchId());
    JsonFields.nullable(o, "finished_at", d.finishedAt());
    JsonFields.nullable(o, "answered_by", d.answeredBy());
    JsonFields.nullable(o, "error_code", d.errorCode());
    if (d.usage() == null) {
      o.addNull("usage");
    } else {
      o.add(
          "usage",
          Json.createObjectBuilder()
              .add("input_tokens", d.usage().input())
              .add("cached_input_tokens", d.usage().cachedInput())
              .add("output_tokens", d.usage().output())
              .add("reasoning_tokens", d.usage().reasoning()));
    }
    JsonFields.nullable(o, "cost", d.cost());
    return o.build();
  }
}
