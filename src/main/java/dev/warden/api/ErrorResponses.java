package dev.warden.api;

import dev.warden.openai.model.ErrorBody;
import dev.warden.openai.model.ErrorDetail;
import jakarta.json.Json;
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

  /** Tells OpenAI SDKs not to retry: Warden already did, and only one layer may retry. */
  public static final String SHOULD_RETRY = "x-should-retry";

  private ErrorResponses() {}

  /** An error with OpenAI's fields; formatted for the path the request was sent to. */
  public static Response.ResponseBuilder error(
      UriInfo uri, int status, String type, String code, String param, String message) {
    String path = uri == null ? "" : uri.getPath();
    Response.ResponseBuilder builder;
    if (path.startsWith("/api") || path.startsWith("api")) {
      JsonObjectBuilder problem =
          Json.createObjectBuilder()
              .add("type", "about:blank")
              .add(
                  "title",
                  Response.Status.fromStatusCode(status) == null
                      ? "Error"
                      : Response.Status.fromStatusCode(status).getReasonPhrase())
              .add("status", status)
              .add("detail", message);
      if (code != null) {
        problem.add("code", code);
      }
      builder = Response.status(status).type("application/problem+json").entity(problem.build());
    } else {
      builder =
          Response.status(status)
              .type(MediaType.APPLICATION_JSON_TYPE)
              .entity(new ErrorBody(new ErrorDetail(message, type, param, code)));
    }
    return builder.header("x-request-id", "wrd_" + UUID.randomUUID().toString().replace("-", ""));
  }
}
