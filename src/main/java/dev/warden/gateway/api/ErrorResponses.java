package dev.warden.gateway.api;

import dev.warden.openai.model.ErrorBody;
import dev.warden.openai.model.ErrorDetail;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/**
 * Builds error responses in the caller's format: OpenAI's error object on {@code /v1}, so that
 * OpenAI SDKs raise their usual exceptions, and problem JSON (RFC 9457) elsewhere. Never a stack
 * trace, never the upstream key.
 */
public final class ErrorResponses {

  /** The media type of problem JSON (RFC 9457). */
  public static final String PROBLEM_JSON = "application/problem+json";

  /** Tells OpenAI SDKs not to retry: Warden already did, and only one layer may retry. */
  public static final String SHOULD_RETRY = "x-should-retry";

  private ErrorResponses() {}

  /** An error with OpenAI's fields; formatted for the path the request was sent to. */
  public static Response.ResponseBuilder error(
      UriInfo uri, int status, String type, String code, String param, String message) {
    String path = uri == null ? "" : uri.getPath();
    Response.ResponseBuilder builder;
    if (path.startsWith("/api") || path.startsWith("api")) {
      builder = Response.status(status).type(PROBLEM_JSON).entity(problem(status, code, message));
    } else {
      builder =
          Response.status(status)
              .type(MediaType.APPLICATION_JSON_TYPE)
              .entity(new ErrorBody(new ErrorDetail(message, type, param, code)));
    }
    return builder.header("x-request-id", newRequestId());
  }

  /**
   * A problem JSON (RFC 9457) body: {@code type} {@code about:blank}, {@code title} (the status
   * phrase), {@code status}, {@code detail} and, when given, {@code code}.
   */
  public static JsonObject problem(int status, String code, String detail) {
    Response.Status s = Response.Status.fromStatusCode(status);
    JsonObjectBuilder problem =
        Json.createObjectBuilder()
            .add("type", "about:blank")
            .add("title", s == null ? "Error" : s.getReasonPhrase())
            .add("status", status)
            .add("detail", detail);
    if (code != null) {
      problem.add("code", code);
    }
    return problem.build();
  }

  /** A request id for an answer no call produced (a refusal before the pipeline). */
  public static String newRequestId() {
    return "wrd_" + UUID.randomUUID().toString().replace("-", "");
  }
}
