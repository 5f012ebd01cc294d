package dev.warden.gateway.api;

import dev.warden.call.CallContext;
import dev.warden.config.Jsonp;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ErrorBody;
import dev.warden.openai.model.ErrorDetail;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
    return builder.header("x-request-id", CallContext.newRequestId());
  }

  /**
   * A problem JSON (RFC 9457) body: {@code type} {@code about:blank}, {@code title} (the status
   * phrase), {@code status}, {@code detail} and, when given, {@code code}.
   */
  public static JsonObject problem(int status, String code, String detail) {
    Response.Status s = Response.Status.fromStatusCode(status);
    JsonObjectBuilder problem =
        Jsonp.createObjectBuilder()
            .add("type", "about:blank")
            .add("title", s == null ? "Error" : s.getReasonPhrase())
            .add("status", status)
            .add("detail", detail);
    if (code != null) {
      problem.add("code", code);
    }
    return problem.build();
  }

  /** Whether {@code path} (from the context root) is under {@code /api}. */
  static boolean isApi(String path) {
    return path != null && (path.equals("/api") || path.startsWith("/api/"));
  }

  /**
   * Writes an error in the caller's format straight to a servlet response, outside JAX-RS (a
   * filter's refusal, the container's error page): problem JSON under {@code /api}, OpenAI's error
   * object elsewhere, with a new {@code x-request-id}.
   */
  static void write(
      HttpServletResponse response,
      String path,
      int status,
      String type,
      String code,
      String param,
      String message)
      throws IOException {
    String body;
    if (isApi(path)) {
      response.setContentType(PROBLEM_JSON);
      body = problem(status, code, message).toString();
    } else {
      response.setContentType("application/json");
      response.setHeader(SHOULD_RETRY, "false");
      body = SharedJsonb.JSONB.toJson(new ErrorBody(new ErrorDetail(message, type, param, code)));
    }
    response.setStatus(status);
    response.setHeader("x-request-id", CallContext.newRequestId());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
