package dev.warden.gateway.api;

import dev.warden.ai.DeferredCall;
import dev.warden.ai.DeferredCalls;
import dev.warden.ai.NoSuchDeferredCallException;
import dev.warden.call.Caller;
import dev.warden.config.Jsonp;
import dev.warden.gateway.idempotency.Idempotency;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The status of the caller's own deferred calls ({@code /api/deferred/{id}}, role {@code ai-user}):
 * calls an application submitted through the Batch API ({@code OpenAi.defer}) for the same
 * principal and tenant, or a {@code /v1} caller deferred with {@code X-Warden-Defer: true}. Another
 * caller's id answers 404, exactly like a missing one. The answer is read at {@code
 * /api/deferred/{id}/result} (or by the application, {@code OpenAi.deferredResult}).
 */
@Path("/api/deferred")
@Allowed(Role.AI_USER)
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DeferredResource {

  /** The {@code /v1} request header that defers a call through the Batch API. */
  static final String DEFER_HEADER = "X-Warden-Defer";

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
      throw notFound(id);
    }
    return json(d);
  }

  @GET
  @Path("/{id}/result")
  @Operation(
      summary = "Read the answer of one of your deferred calls",
      description =
          "The answer of a deferred call of the authenticated principal and tenant, as the OpenAI"
              + " object its endpoint returns (chat.completion, response, or the embeddings list),"
              + " read from the batch's output file with Warden's placeholders restored. 202 with"
              + " the call's status (and Retry-After) while it waits for its batch; 409"
              + " deferred_call_failed when it failed or was cancelled, 410 deferred_call_expired"
              + " when its batch expired (problem JSON naming the error code); 404 when there is"
              + " no such call or it belongs to someone else. Role ai-user.")
  public Response result(@PathParam("id") String id) {
    Caller caller = AccessFilter.identityOf(security).caller();
    DeferredCall d;
    try {
      d = deferred.status(id, caller);
    } catch (NoSuchDeferredCallException e) {
      throw notFound(id);
    }
    if (!d.done()) {
      return Response.status(202).entity(json(d)).header("Retry-After", "60").build();
    }
    if (d.status() == DeferredCall.Status.EXPIRED) {
      throw new ProblemException(
          410,
          "deferred_call_expired",
          "deferred call " + id + " expired before it ran (" + d.errorCode() + ")");
    }
    if (d.status() != DeferredCall.Status.COMPLETED) {
      throw new ProblemException(
          409,
          "deferred_call_failed",
          "deferred call "
              + id
              + " ended "
              + d.status()
              + " without an answer ("
              + d.errorCode()
              + ")");
    }
    return Response.ok(deferred.resultJson(id, caller).orElseThrow()).build();
  }

  /**
   * The answer of a {@code /v1} call deferred with {@code X-Warden-Defer: true}: 202, the deferred
   * call's status, {@code Location} its status URL; under an idempotency claim it is recorded, so a
   * replay names the same deferred call.
   */
  static Response accepted(DeferredCall d, Idempotency.Claim claim) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", d.requestId());
    headers.put("Location", "/api/deferred/" + d.id());
    String body = json(d).toString();
    if (claim != null) {
      claim.complete(202, MediaType.APPLICATION_JSON, headers, body, d.requestId());
    }
    Response.ResponseBuilder response =
        Response.status(202).entity(body).type(MediaType.APPLICATION_JSON_TYPE);
    headers.forEach(response::header);
    return response.build();
  }

  /**
   * Whether a {@code /v1} request asks to be deferred ({@code X-Warden-Defer: true}); {@code false}
   * and no header run it at once, anything else is refused (400).
   */
  static boolean defers(String header) {
    if (header == null || header.equalsIgnoreCase("false")) {
      return false;
    }
    if (header.equalsIgnoreCase("true")) {
      return true;
    }
    throw new BadRequestException(
        new ErrorInfo(
            400,
            DEFER_HEADER + " must be true or false",
            "invalid_request_error",
            "invalid_value",
            DEFER_HEADER,
            null,
            null),
        null);
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(404, "not_found", "no deferred call " + id);
  }

  static JsonObject json(DeferredCall d) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add("id", d.id())
            .add("request_id", d.requestId())
            .add("model", d.model())
            .add("endpoint", d.endpoint())
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
          Jsonp.createObjectBuilder()
              .add("input_tokens", d.usage().input())
              .add("cached_input_tokens", d.usage().cachedInput())
              .add("output_tokens", d.usage().output())
              .add("reasoning_tokens", d.usage().reasoning()));
    }
    JsonFields.nullable(o, "cost", d.cost());
    return o.build();
  }
}
