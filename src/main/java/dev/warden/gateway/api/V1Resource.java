package dev.warden.gateway.api;

import dev.warden.ai.Answer;
import dev.warden.ai.ChatKind;
import dev.warden.ai.DeferredCalls;
import dev.warden.ai.ModelRouter;
import dev.warden.ai.Pipeline;
import dev.warden.ai.StreamingCall;
import dev.warden.call.CallContext;
import dev.warden.call.EntryPoint;
import dev.warden.call.FallbackKind;
import dev.warden.gateway.idempotency.Idempotency;
import dev.warden.gateway.idempotency.StreamRecording;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.stream.StreamSettings;
import dev.warden.openai.stream.StreamTimers;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenAI-compatible surface: an OpenAI SDK whose base URL is {@code http://host:port/v1} works
 * unchanged. Each operation runs through the one {@link Pipeline}. Besides OpenAI's own headers,
 * answers carry {@code x-warden-model} (who answered), {@code x-warden-upstream} (where), {@code
 * x-warden-fallback} ({@code none}, {@code model} or {@code deterministic}) and {@code
 * x-warden-attempts}. The creating operations honour the caller's {@code Idempotency-Key} ({@link
 * Idempotency}).
 */
@Path("/v1")
@Allowed(Role.AI_USER)
@Tag(
    name = "OpenAI-compatible",
    description =
        "OpenAI's own API under /v1, for OpenAI SDKs (set their base URL to http://host:port/v1):"
            + " same request and answer shapes, same error objects. Every call runs through"
            + " Warden's pipeline: admission (budgets, rate limits), PII redaction, injection"
            + " screening, the resilient upstream call, output validation and the audit record.")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class V1Resource {

  @Inject Pipeline pipeline;
  @Inject ModelRouter router;
  @Inject DeferredCalls deferred;
  @Inject Idempotency idempotency;
  @Inject StreamSettings streamSettings;

  @Inject StreamTimers timers;
  @Inject StreamRelays relays;

  @Operation(
      summary = "Create a chat completion",
      description =
          "OpenAI's Chat Completions. With stream: true the answer is a server-sent event stream relayed event by event; otherwise a chat.completion object. Unknown fields, wrong types, out-of-range parameters and unknown models are refused before any upstream call. Headers: x-request-id, x-warden-model, x-warden-upstream, x-warden-fallback, x-warden-attempts. With an Idempotency-Key header, the same key and request again within the window replay the recorded answer (Idempotent-Replayed: true) without an upstream call; another request under the key answers 409. A model of the form route:<use-case> routes the request by that use case's models, cheapest first, escalating as configured (warden.route.<use-case>.*); an unknown alias answers 404 model_not_found. With X-Warden-Defer: true the call goes through the Batch API at the batch price and answers 202 with the deferred call and a Location to its status; its answer is at /api/deferred/{id}/result.")
  @POST
  @Path("/chat/completions")
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
  public void chat(
      @Suspended AsyncResponse async,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @HeaderParam(DeferredResource.DEFER_HEADER) String defer,
      ChatCompletionRequest request) {
    relays.answer(async, () -> chat(idempotencyKey, defer, request));
  }

  private Response chat(String idempotencyKey, String defer, ChatCompletionRequest request) {
    String subject =
        request == null ? null : ChatKind.subjectOf(request.safetyIdentifier(), request.user());
    if (DeferredResource.defers(defer)) {
      return idempotency.run(
          idempotencyKey,
          "chat.completions.deferred",
          request,
          subject,
          claim -> DeferredResource.accepted(deferred.defer(EntryPoint.V1, request), claim));
    }
    return idempotency.run(
        idempotencyKey,
        "chat.completions",
        request,
        subject,
        claim -> {
          if (request != null && ModelRouter.isAlias(request.model())) {
            return ok(router.chat(EntryPoint.V1, request).answer(), claim);
          }
          if (request != null && Boolean.TRUE.equals(request.stream())) {
            return stream(pipeline.openChatStream(EntryPoint.V1, request), false, claim);
          }
          return ok(pipeline.chat(EntryPoint.V1, request), claim);
        });
  }

  @Operation(
      summary = "Create a model response",
      description =
          "OpenAI's Responses API: a response object, or a server-sent event stream with stream: true. Personal data is replaced by placeholders before it leaves and restored in the answer; placeholders stay stable across turns that continue a stored response. An Idempotency-Key header replays the recorded answer of the same request (Idempotent-Replayed: true). A model route:<use-case> routes the call by that use case's models, cheapest first. X-Warden-Defer: true defers it through the Batch API (202, answer at /api/deferred/{id}/result).")
  @POST
  @Path("/responses")
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
  public void createResponse(
      @Suspended AsyncResponse async,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @HeaderParam(DeferredResource.DEFER_HEADER) String defer,
      CreateResponseRequest request) {
    relays.answer(async, () -> createResponse(idempotencyKey, defer, request));
  }

  private Response createResponse(
      String idempotencyKey, String defer, CreateResponseRequest request) {
    String subject =
        request == null ? null : ChatKind.subjectOf(request.safetyIdentifier(), request.user());
    if (DeferredResource.defers(defer)) {
      return idempotency.run(
          idempotencyKey,
          "responses.deferred",
          request,
          subject,
          claim -> DeferredResource.accepted(deferred.defer(EntryPoint.V1, request), claim));
    }
    return idempotency.run(
        idempotencyKey,
        "responses",
        request,
        subject,
        claim -> {
          if (request != null && ModelRouter.isAlias(request.model())) {
            return ok(router.respond(EntryPoint.V1, request).answer(), claim);
          }
          if (request != null && Boolean.TRUE.equals(request.stream())) {
            return stream(pipeline.openResponseStream(EntryPoint.V1, request), true, claim);
          }
          return ok(pipeline.createResponse(EntryPoint.V1, request), claim);
        });
  }

  /**
   * The stream is open and its first event has arrived (so errors up to here were ordinary HTTP
   * errors); from here the status is 200 and the events are relayed as they come.
   */
  private Response stream(
      StreamingCall call, boolean responsesFormat, Idempotency.Claim idempotencyClaim) {
    CallContext context = call.context();
    Map<String, String> headers =
        wardenHeaders(
            context.requestId(),
            context.fallback(),
            context.attempts(),
            context.answeredBy(),
            context.upstreamRequestId(),
            context.answeredUpstream());
    StreamingOutput body =
        out -> {
          // under an idempotency key, the events as relayed are recorded for replays once the
          // stream has ended normally
          StreamRecording recording = idempotencyClaim == null ? null : new StreamRecording(out);
          try (SseSink sink =
              new SseSink(
                  recording == null ? out : recording,
                  responsesFormat,
                  call,
                  streamSettings.heartbeat(),
                  timers.scheduler())) {
            call.relay(recording == null ? sink : recording.watching(sink));
          } finally {
            if (recording != null) {
              recording.finish(idempotencyClaim, headers, context.requestId());
            }
          }
        };
    Response.ResponseBuilder response =
        Response.ok(body, MediaType.SERVER_SENT_EVENTS_TYPE).header("Cache-Control", "no-cache");
    headers.forEach(response::header);
    return response.build();
  }

  @Operation(
      summary = "Retrieve a stored response",
      description =
          "Reads a response the upstream stored, with Warden's placeholders restored to their original values for the caller.")
  @GET
  @Path("/responses/{id}")
  public Response retrieveResponse(@PathParam("id") String id) {
    return ok(pipeline.retrieveResponse(EntryPoint.V1, id));
  }

  @Operation(
      summary = "Delete a stored response",
      description =
          "Deletes a stored response upstream and Warden's encrypted placeholder vault for it.")
  @DELETE
  @Path("/responses/{id}")
  public Response deleteResponse(@PathParam("id") String id) {
    return ok(pipeline.deleteResponse(EntryPoint.V1, id));
  }

  @Operation(
      summary = "Cancel a background response",
      description = "Cancels a response created with background: true.")
  @POST
  @Path("/responses/{id}/cancel")
  public Response cancelResponse(@PathParam("id") String id) {
    return ok(pipeline.cancelResponse(EntryPoint.V1, id));
  }

  @Operation(
      summary = "List a response's input items",
      description =
          "The input items of a stored response, paginated (after, limit 1 to 100, order asc or desc), placeholders restored.")
  @GET
  @Path("/responses/{id}/input_items")
  public Response listInputItems(
      @PathParam("id") String id,
      @QueryParam("after") String after,
      @QueryParam("limit") Integer limit,
      @QueryParam("order") String order) {
    return ok(pipeline.listInputItems(EntryPoint.V1, id, after, limit, order));
  }

  @Operation(
      summary = "Create embeddings",
      description =
          "OpenAI's Embeddings for text input; personal data in the input is redacted first. Token-id input is refused while redaction is on. An Idempotency-Key header replays the recorded answer of the same request (Idempotent-Replayed: true). X-Warden-Defer: true defers it through the Batch API at the batch price (202, answer at /api/deferred/{id}/result).")
  @POST
  @Path("/embeddings")
  public Response embeddings(
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @HeaderParam(DeferredResource.DEFER_HEADER) String defer,
      EmbeddingRequest request) {
    String subject = request == null ? null : ChatKind.subjectOf(null, request.user());
    if (DeferredResource.defers(defer)) {
      return idempotency.run(
          idempotencyKey,
          "embeddings.deferred",
          request,
          subject,
          claim -> DeferredResource.accepted(deferred.defer(EntryPoint.V1, request), claim));
    }
    return idempotency.run(
        idempotencyKey,
        "embeddings",
        request,
        subject,
        claim -> ok(pipeline.embeddings(EntryPoint.V1, request), claim));
  }

  @Operation(
      summary = "List models",
      description = "The models the upstream offers, as OpenAI lists them.")
  @GET
  @Path("/models")
  public Response models() {
    return ok(pipeline.listModels(EntryPoint.V1));
  }

  static Response ok(Answer<?> answer) {
    return ok(answer, null);
  }

  /**
   * The answer; under an idempotency claim, its body is written as the JSON recorded for replays,
   * so a replay is the same bytes.
   */
  private static Response ok(Answer<?> answer, Idempotency.Claim idempotencyClaim) {
    Map<String, String> headers =
        wardenHeaders(
            answer.requestId(),
            answer.fallback(),
            answer.attempts(),
            answer.answeredBy(),
            answer.upstreamRequestId(),
            answer.upstream());
    Response.ResponseBuilder response;
    if (idempotencyClaim == null) {
      response = Response.ok(answer.body());
    } else {
      String json = Idempotency.json(answer.body());
      idempotencyClaim.complete(200, MediaType.APPLICATION_JSON, headers, json, answer.requestId());
      response = Response.ok(json, MediaType.APPLICATION_JSON_TYPE);
    }
    headers.forEach(response::header);
    return response.build();
  }

  /** What Warden tells every caller about a call, streamed or not. */
  static Map<String, String> wardenHeaders(
      String requestId,
      FallbackKind fallback,
      int attempts,
      String answeredBy,
      String upstreamRequestId,
      String upstream) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", requestId);
    headers.put("x-warden-fallback", fallback.wire());
    headers.put("x-warden-attempts", String.valueOf(attempts));
    if (answeredBy != null) {
      headers.put("x-warden-model", answeredBy);
    }
    if (upstreamRequestId != null) {
      headers.put("x-warden-upstream-request-id", upstreamRequestId);
    }
    if (upstream != null) {
      headers.put("x-warden-upstream", upstream);
    }
    return headers;
  }
}
