package dev.warden.gateway.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The console's cookies, headers and server-rendered pages. The session cookie is {@value #COOKIE}
 * ({@value #SECURE_COOKIE} over TLS): HttpOnly, SameSite=Strict, Path=/, Secure under TLS.
 */
public final class ConsoleHttp {

  /** The session cookie over plain HTTP. */
  public static final String COOKIE = "warden_console";

  /** The session cookie over TLS (the {@code __Host-} prefix binds it to this host, Path=/). */
  public static final String SECURE_COOKIE = "__Host-warden_console";

  /** The header carrying the CSRF token on unsafe {@code /api} requests. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /** The content security policy of every {@code /console/*} response. */
  public static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private ConsoleHttp() {}

  /** The session cookie's name for this request. */
  static String cookieName(HttpServletRequest request) {
    return request.isSecure() ? SECURE_COOKIE : COOKIE;
  }

  /** The session token the request's cookie carries, or {@code null}. */
  public static String sessionToken(HttpServletRequest request) {
    return cookie(request, cookieName(request));
  }

  /** The value of cookie {@code name}, or {@code null}. */
  static String cookie(HttpServletRequest request, String name) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (name.equals(c.getName())) {
        return c.getValue();
      }
    }
    return null;
  }

  /** Sets the session cookie. */
  static void setSessionCookie(
      HttpServletRequest request, HttpServletResponse response, String token, Duration maxAge) {
    addCookie(request, response, cookieName(request), token, "/", "Strict", maxAge);
  }

  /** Clears the session cookie. */
  static void clearSessionCookie(HttpServletRequest request, HttpServletResponse response) {
    addCookie(request, response, cookieName(request), "", "/", "Strict", Duration.ZERO);
  }

  /** Adds a cookie: HttpOnly, Secure under TLS, with the given path, SameSite and Max-Age. */
  static void addCookie(
      HttpServletRequest request,
      HttpServletResponse response,
      String name,
      String value,
      String path,
      String sameSite,
      Duration maxAge) {
    StringBuilder c = new StringBuilder(name).append('=').append(value);
    c.append("; Path=").append(path);
    c.append("; Max-Age=").append(maxAge.toSeconds());
    c.append("; HttpOnly; SameSite=").append(sameSite);
    if (request.isSecure()) {
      c.append("; Secure");
    }
    response.addHeader("Set-Cookie", c.toString());
  }

  /** The security headers of every {@code /console/*} response. */
  static void securityHeaders(HttpServletResponse response, boolean cacheable) {
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    if (!cacheable) {
      response.setHeader("Cache-Control", "no-store");
    }
  }

  /** The path of the request from the context root, e.g. {@code /console/login}. */
  static String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return context != null && !context.isEmpty() && uri.startsWith(context)
        ? uri.substring(context.length())
        : uri;
  }

  /**
   * A local target to return to after sign-in: a {@code /console/...} path, else {@code /console/}.
   */
  static String localTarget(String target) {
    if (target == null
        || target.length() > 2000
        || !(target.equals("/console") || target.startsWith("/console/"))
        || target.contains("\\")
        || target.contains("//")
        || target.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) {
      return "/console/";
    }
    return target;
  }

  /** Sends a 303 to {@code location} (a path on this server). */
  static void seeOther(HttpServletRequest request, HttpServletResponse response, String location) {
    response.setStatus(303);
    response.setHeader("Location", request.getContextPath() + location);
  }

  /** HTML-escapes {@code text}. */
  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  /** Writes a server-rendered HTML page (no script, no inline style): {@code body} is HTML. */
  static void page(HttpServletResponse response, int status, String title, String body)
      throws IOException {
    page(response, status, title, "", body);
  }

  /**
   * {@link #page(HttpServletResponse, int, String, String)} with more of the head ({@code head}).
   */
  static void page(HttpServletResponse response, int status, String title, String head, String body)
      throws IOException {
    String html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>"
            + escape(title)
            + " - Warden</title>\n"
            + "<link rel=\"icon\" href=\"data:,\">\n"
            + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\">\n"
            + head
            + "</head>\n<body>\n<header class=\"top\"><p class=\"brand\">Warden console</p></header>\n"
            + "<main class=\"narrow\">\n<h1>"
            + escape(title)
            + "</h1>\n"
            + body
            + "</main>\n</body>\n</html>\n";
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("text/html;charset=utf-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** A readable HTML error page for a {@code /console} request the container failed. */
  public static void errorPage(HttpServletResponse response, int status, String message)
      throws IOException {
    securityHeaders(response, false);
    page(
        response,
        status,
        status + " " + message,
        "<p><a href=\"/console/\">Back to the console</a></p>\n");
  }
}
