package dev.warden.gateway.api;

import dev.warden.audit.log.AuditWriteException;
import dev.warden.cluster.DatabaseOutages;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything that is not an {@link dev.warden.openai.error.OpenAiException}: unreadable JSON,
 * unknown paths, wrong methods or media types get a clear 4xx; a call the audit log could not
 * record a 503 {@code audit_unavailable} (its answer is withheld); one the database's outage (a
 * restart, a failover) stopped before its upstream a 503 {@code database_unavailable}; anything
 * else a 500 without details. The caller never sees a stack trace.
 */
@Provider
public class GenericExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(GenericExceptionMapper.class.getName());

  @Context UriInfo uri;

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof WebApplicationException) {
      int status = ((WebApplicationException) e).getResponse().getStatus();
      if (status < 500) {
        return ErrorResponses.error(
                uri, status, "invalid_request_error", clientCode(status), null, clientMessage(e))
            .build();
      }
    }
    if (isUnreadableBody(e)) {
      return ErrorResponses.error(
              uri,
              400,
              "invalid_request_error",
              "invalid_json",
              null,
              "the request body is not valid JSON for this endpoint")
          .build();
    }
    if (auditWriteFailed(e)) {
      // WARDEN0320E already said why, with the cause
      LOG.log(Level.WARNING, "WARDEN0297W: a call's answer was withheld: it could not be audited");
      return ErrorResponses.error(
              uri,
              503,
              "server_error",
              "audit_unavailable",
              null,
              "The call could not be recorded in the audit log, so its answer is withheld; try"
                  + " again shortly")
          .header("Retry-After", "1")
          .build();
    }
    if (databaseAway(e)) {
      LOG.log(
          Level.WARNING,
          "WARDEN0296W: a call was refused: the database is unavailable ({0})",
          e.getClass().getName());
      return ErrorResponses.error(
              uri,
              503,
              "server_error",
              "database_unavailable",
              null,
              "Warden's database is unavailable for the moment; try again shortly")
          .header("Retry-After", "1")
          .build();
    }
    LOG.log(Level.SEVERE, "WARDEN0299E: unexpected failure: " + e.getClass().getName(), e);
    return ErrorResponses.error(
            uri, 500, "server_error", "internal_error", null, "Warden failed unexpectedly")
        .build();
  }

  /** Whether the audit log could not record the call (its answer must not go out). */
  private static boolean auditWriteFailed(Throwable e) {
    return causedBy(e, AuditWriteException.class);
  }

  /** Whether a database outage (a restart, a failover) made the call fail before its upstream. */
  private static boolean databaseAway(Throwable e) {
    return causedBy(e, java.sql.SQLException.class) && DatabaseOutages.isOutage(e);
  }

  /** Whether {@code e} or one of its causes is of one of {@code types}. */
  private static boolean causedBy(Throwable e, Class<?>... types) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (Class<?> type : types) {
        if (type.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isUnreadableBody(Throwable e) {
    return causedBy(
        e, JsonbException.class, jakarta.json.JsonException.class, ProcessingException.class);
  }

  /** The error code of an HTTP status, for refusals the container or JAX-RS made. */
  static String clientCode(int status) {
    switch (status) {
      case 404:
        return "not_found";
      case 405:
        return "method_not_allowed";
      case 406:
        return "not_acceptable";
      case 408:
        return "request_timeout";
      case 413:
        return "request_too_large";
      case 414:
        return "uri_too_long";
      case 415:
        return "unsupported_media_type";
      case 431:
        return "request_headers_too_large";
      case 501:
        return "not_implemented";
      case 503:
        return "unavailable";
      default:
        return status >= 500 ? "internal_error" : "invalid_request";
    }
  }

  private static String clientMessage(Throwable e) {
    int status = ((WebApplicationException) e).getResponse().getStatus();
    if (status == 404 || status == 405 || status == 415) {
      return statusMessage(status);
    }
    return isUnreadableBody(e.getCause())
        ? "the request body is not valid JSON for this endpoint"
        : "the request could not be processed";
  }

  /** What an HTTP status means for the caller, in a few words. */
  static String statusMessage(int status) {
    switch (status) {
      case 400:
        return "the request could not be understood";
      case 404:
        return "unknown path";
      case 405:
        return "this method is not allowed on this path";
      case 408:
        return "the request did not arrive in time";
      case 413:
        return "the request is too large";
      case 414:
        return "the request URI is too long";
      case 415:
        return "send the body as application/json";
      case 431:
        return "the request headers are too large";
      case 501:
        return "this method is not implemented";
      case 503:
        return "Warden is not available right now; retry shortly";
      default:
        return status >= 500 ? "Warden failed unexpectedly" : "the request was refused";
    }
  }
}
