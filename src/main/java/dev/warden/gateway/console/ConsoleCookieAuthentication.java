package dev.warden.gateway.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The console's cookie as a credential on {@code /api}: a request to {@code /api/*} without an
 * {@code Authorization} header is authenticated by its console session, with the session's roles
 * and tenant. An unsafe one ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) must carry
 * the session's CSRF token in {@value ConsoleHttp#CSRF_HEADER}. {@code /v1} never accepts the
 * cookie (models are called with keys and tokens only).
 */
@ApplicationScoped
public class ConsoleCookieAuthentication {
  private static final Logger LOG = Logger.getLogger(ConsoleCookieAuthentication.class.getName());

  /** The error code of a cookie-authenticated unsafe request without the right CSRF token. */
  public static final String CSRF_INVALID = "csrf_token_invalid";

  /** The message of that refusal. */
  public static final String CSRF_MESSAGE =
      "A request authenticated by the console's session cookie must carry the session's CSRF"
          + " token in the X-CSRF-Token header";

  private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

  @Inject ConsoleSessions sessions;

  /** What the cookie proves for a request. */
  public sealed interface Result {}

  /** A valid session whose CSRF token, where needed, was right. */
  public record Authenticated(ConsoleSession session) implements Result {}

  /** A valid session, but an unsafe request without its CSRF token. */
  public record CsrfRefused() implements Result {}

  /**
   * The session of a request to {@code path} (from the context root) with method {@code method}, if
   * it may be authenticated by its cookie at all (an {@code /api} path, no {@code Authorization}
   * header) and has a valid session.
   */
  public Optional<Result> authenticate(HttpServletRequest request, String path, String method) {
    if (request == null
        || request.getHeader("Authorization") != null
        || path == null
        || !(path.equals("/api") || path.startsWith("/api/"))) {
      return Optional.empty();
    }
    String token = ConsoleHttp.sessionToken(request);
    if (token == null) {
      return Optional.empty();
    }
    Optional<ConsoleSession> session = sessions.find(token);
    if (session.isEmpty()) {
      return Optional.empty();
    }
    if (UNSAFE.contains(method)
        && !ConsoleSessions.same(
            session.get().csrfToken(), request.getHeader(ConsoleHttp.CSRF_HEADER))) {
      LOG.fine("WARDEN0876I: a console request without a valid CSRF token was refused");
      return Optional.of(new CsrfRefused());
    }
    return Optional.of(new Authenticated(session.get()));
  }
}
