package dev.warden.gateway.api;

import dev.warden.call.refusal.WardenRefusal;
import dev.warden.openai.error.AuthenticationException;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.CircuitOpenException;
import dev.warden.openai.error.ConflictException;
import dev.warden.openai.error.ConnectionPoolExhaustedException;
import dev.warden.openai.error.MalformedResponseException;
import dev.warden.openai.error.NoCredentialException;
import dev.warden.openai.error.NotFoundException;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.error.PermissionDeniedException;
import dev.warden.openai.error.QuotaExceededException;
import dev.warden.openai.error.RateLimitException;
import dev.warden.openai.error.RequestTimeoutException;
import dev.warden.openai.error.UnprocessableEntityException;
import dev.warden.openai.error.UpstreamRateLimitedException;
import dev.warden.openai.error.UpstreamTimeoutException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * What an HTTP caller sees when a call fails (the status table of docs/errors.md). The caller's own
 * mistakes keep their status and OpenAI's fields; upstream trouble the caller cannot fix (our key
 * rejected, outages, timeouts) becomes 502/503/504 with a generic message, so upstream details such
 * as a masked key never reach the caller.
 */
@Provider
public class OpenAiExceptionMapper implements ExceptionMapper<OpenAiException> {

  private static final Logger LOG = Logger.getLogger(OpenAiExceptionMapper.class.getName());

  @Context UriInfo uri;

  @Override
  public Response toResponse(OpenAiException e) {
    Mapped m = map(e);
    LOG.fine(
        () ->
            String.format(
                "WARDEN0201I: call failed: %s status=%d -> %d upstream-request=%s",
                e.getClass().getSimpleName(), e.status(), m.status, e.requestId()));
    Response.ResponseBuilder response =
        ErrorResponses.error(uri, m.status, m.type, m.code, m.param, m.message)
            .header(ErrorResponses.SHOULD_RETRY, "false");
    e.retryAfter()
        .filter(d -> m.status == 429 || m.status == 503)
        .ifPresent(d -> response.header("retry-after", seconds(d)));
    return response.build();
  }

  /** The HTTP status, type and message for each exception type. */
  static Mapped map(OpenAiException e) {
    if (e instanceof WardenRefusal) {
      // Warden's own: each carries the status, type, code, param and message the caller sees;
      // the message names a type, scope, model or rule at most, never a value
      return passThrough(e.status(), e);
    }
    if (e instanceof BadRequestException) {
      return passThrough(400, e);
    }
    if (e instanceof NotFoundException) {
      return passThrough(404, e);
    }
    if (e instanceof UnprocessableEntityException) {
      return passThrough(422, e);
    }
    if (e instanceof ConflictException) {
      return passThrough(409, e);
    }
    if (e instanceof QuotaExceededException) {
      return new Mapped(
          429,
          "insufficient_quota",
          "insufficient_quota",
          null,
          "the upstream account is out of quota; retrying will not help");
    }
    if (e instanceof UpstreamRateLimitedException) {
      // paced before sending: the upstream's own headers say its limit is spent until the reset
      return new Mapped(429, e.type(), e.code(), null, e.getMessage());
    }
    if (e instanceof RateLimitException) {
      return new Mapped(
          429,
          "rate_limit_exceeded",
          "rate_limit_exceeded",
          null,
          "the upstream rate limit was exceeded; Warden retried and gave up");
    }
    if (e instanceof AuthenticationException) {
      return upstream(
          502, "upstream_authentication_failed", "the upstream rejected Warden's credential");
    }
    if (e instanceof PermissionDeniedException) {
      return upstream(502, "upstream_permission_denied", "the upstream denied Warden's request");
    }
    if (e instanceof NoCredentialException) {
      return upstream(503, "upstream_not_configured", "Warden has no upstream credential");
    }
    if (e instanceof ConnectionPoolExhaustedException) {
      return upstream(503, "upstream_saturated", "all upstream connections are busy; try later");
    }
    if (e instanceof CircuitOpenException) {
      return upstream(503, "upstream_unavailable", "the upstream is failing; the circuit is open");
    }
    if (e instanceof UpstreamTimeoutException || e instanceof RequestTimeoutException) {
      return upstream(504, "upstream_timeout", "the upstream did not answer in time");
    }
    if (e instanceof MalformedResponseException) {
      return upstream(502, "upstream_malformed_response", "the upstream answer was unreadable");
    }
    return upstream(502, "upstream_error", "the upstream failed to answer");
  }

  private static Mapped passThrough(int status, OpenAiException e) {
    return new Mapped(
        status,
        e.type() == null ? "invalid_request_error" : e.type(),
        e.code(),
        e.param(),
        e.getMessage());
  }

  private static Mapped upstream(int status, String code, String message) {
    return new Mapped(status, "server_error", code, null, message);
  }

  private static String seconds(Duration d) {
    return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
  }

  record Mapped(int status, String type, String code, String param, String message) {}
}
