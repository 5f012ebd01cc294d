package dev.warden.api;

import dev.warden.ai.Answer;
import dev.warden.ai.CallContext;
import dev.warden.ai.EntryPoint;
import dev.warden.ai.FallbackKind;
import dev.warden.ai.Pipeline;
import dev.warden.ai.StreamingCall;
import dev.warden.identity.Allowed;
import dev.warden.identity.Role;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * The OpenAI-compatible surface: an OpenAI SDK whose base URL is {@code http://host:port/v1} works
 * unchanged. Each operation runs through the one {@link Pipeline}. Besides OpenAI's own headers,
 * answers carry {@code x-warden-model} (who answered), {@code x-warden-fallback} ({@code none},
 * {@code model} or {@code deterministic}) and {@code x-warden-attempts}.
 */
@Path("/v1")
@Allowed(Role.AI_USER)
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class V1Resource {

  @Inject Pipeline pipeline;
  @Inject StreamSettings streamSettings;

  @Inject StreamTimers timers;

  @POST
  @Path("/chat/completions")
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
  public Response chat(ChatCompletionRequest request) {
    if (request != null && Boolean.TRUE.equals(request.stream())) {
      return stream(pipeline.openChatStream(EntryPoint.V1, request), false);
    }
    return ok(pipeline.chat(EntryPoint.V1, request));
  }

  @POST
  @Path("/responses")
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
  public Response createResponse(CreateResponseRequest request) {
    if (request != null && Boolean.TRUE.equals(request.stream())) {
      return stream(pipeline.openResponseStream(EntryPoint.V1, request), true);
    }
    return ok(pipeline.createResponse(EntryPoint.V1, request));
  }

  /**
   * The stream is open and its first event has arrived (so errors up to here were ordinary HTTP
   * errors); from here the status is 200 and the events are relayed as they come.
   */
  private Response stream(StreamingCall call, boolean responsesFormat) {
    StreamingOutput body =
        out -> {
          try (SseSink sink =
              new SseSink(
                  out, responsesFormat, call, streamSettings.heartbeat(), timers.scheduler())) {
            call.relay(sink);
          }
        };
    CallContext context = call.context();
    return wardenHeaders(
            Response.ok(body, MediaType.SERVER_SENT_EVENTS_TYPE)
                .header("Cache-Control", "no-cache"),
            context.requestId(),
            context.fallback(),
            context.attempts(),
            context.answeredBy(),
            context.upstreamRequestId())
        .build();
  }

  @GET
  @Path("/responses/{id}")
  public Response retrieveResponse(@PathParam("id") String id) {
    return ok(pipeline.retrieveResponse(EntryPoint.V1, id));
  }

  @DELETE
  @Path("/responses/{id}")
  public Response deleteResponse(@PathParam("id") String id) {
    return ok(pipeline.deleteResponse(EntryPoint.V1, id));
  }

  @POST
  @Path("/responses/{id}/cancel")
  public Response cancelResponse(@PathParam("id") String id) {
    return ok(pipeline.cancelResponse(EntryPoint.V1, id));
  }

  @GET
  @Path("/responses/{id}/input_items")
  public Response listInputItems(
      @PathParam("id") String id,
      @QueryParam("after") String after,
      @QueryParam("limit") Integer limit,
      @QueryParam("order") String order) {
    return ok(pipeline.listInputItems(EntryPoint.V1, id, after, limit, order));
  }

  @POST
  @Path("/embeddings")
  public Response embeddings(EmbeddingRequest request) {
    return ok(pipeline.embeddings(EntryPoint.V1, request));
  }

  @GET
  @Path("/models")
  public Response models() {
    return ok(pipeline.listModels(EntryPoint.V1));
  }

  private static Response ok(Answer<?> answer) {
    return wardenHeaders(
            Response.ok(answer.body()),
            answer.requestId(),
            answer.fallback(),
            answer.attempts(),
            answer.answeredBy(),
            answer.upstreamRequestId())
        .build();
  }

  /** What Warden tells every caller about a call, streamed or not. */
  private static Response.ResponseBuilder wardenHeaders(
      Response.ResponseBuilder response,
      String requestId,
      FallbackKind fallback,
      int attempts,
      String answeredBy,
      String upstreamRequestId) {
    response
        .header("x-request-id", requestId)
        .header("x-warden-fallback", fallback.wire())
        .header("x-warden-attempts", attempts);
    if (answeredBy != null) {
      response.header("x-warden-model", answeredBy);
    }
    if (upstreamRequestId != null) {
      response.header("x-warden-upstream-request-id", upstreamRequestId);
    }
    return response;
  }
}
