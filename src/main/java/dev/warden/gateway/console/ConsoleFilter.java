package dev.warden.gateway.console;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * In front of every {@code /console/*} and {@code /webjars/*} request:
 *
 * <ul>
 *   <li>every response carries the console's security headers (a closed content security policy
 *       without {@code unsafe-inline}, {@code nosniff}, no referrer) and, but for static assets,
 *       {@code Cache-Control: no-store};
 *   <li>sign-in, sign-out and {@code /console/session} answer for themselves; static assets under
 *       {@code /console/assets/} and {@code /webjars/} are served without a session (they hold no
 *       data);
 *   <li>any other request needs a valid session ({@link ConsoleSessions}): without one a page
 *       ({@code GET}/{@code HEAD}) is answered 303 to {@code /console/login?return=<path>},
 *       anything else 401;
 *   <li>the console's static files (those of the WAR under {@code /console/}, {@code index.html}
 *       for {@code /console/}; the web jars' under {@code /webjars/}) are served here, since JAX-RS
 *       is mapped to every path; any other path is 404, an HTML page.
 * </ul>
 */
@WebFilter(
    urlPatterns = {"/console/*", "/webjars/*"},
    asyncSupported = true)
public class ConsoleFilter implements Filter {

  /** The request attribute holding the {@link ConsoleSession} this filter found. */
  public static final String SESSION = ConsoleFilter.class.getName() + ".session";

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html;charset=utf-8"),
          Map.entry("js", "text/javascript;charset=utf-8"),
          Map.entry("mjs", "text/javascript;charset=utf-8"),
          Map.entry("css", "text/css;charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("woff", "font/woff"),
          Map.entry("txt", "text/plain;charset=utf-8"));

  @Inject ConsoleSessions sessions;

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String path = ConsoleHttp.path(request);
    boolean asset = path.startsWith("/console/assets/") || path.startsWith("/webjars/");
    ConsoleHttp.securityHeaders(response, asset);
    if (asset) {
      if (!serveStatic(request, response, path)) {
        notFound(response);
      }
      return;
    }
    if (path.equals("/console")) {
      ConsoleHttp.seeOther(request, response, "/console/");
      return;
    }
    if (ownEndpoint(path)) {
      chain.doFilter(request, response);
      return;
    }
    Optional<ConsoleSession> session = sessions.find(ConsoleHttp.sessionToken(request));
    if (session.isEmpty()) {
      String method = request.getMethod();
      if ("GET".equals(method) || "HEAD".equals(method)) {
        String target =
            path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        ConsoleHttp.seeOther(
            request,
            response,
            "/console/login?return="
                + URLEncoder.encode(ConsoleHttp.localTarget(target), StandardCharsets.UTF_8));
      } else {
        ConsoleHttp.page(
            response,
            401,
            "Not signed in",
            "<p>Your console session has ended or never began.</p>\n"
                + "<p><a href=\"/console/login\">Sign in</a></p>\n");
      }
      return;
    }
    request.setAttribute(SESSION, session.get());
    if (!serveStatic(request, response, path)) {
      // nothing else lives under /console (JAX-RS, mapped to every path, would answer in JSON)
      notFound(response);
    }
  }

  private static void notFound(HttpServletResponse response) throws IOException {
    ConsoleHttp.page(
        response,
        404,
        "Not found",
        "<p>There is no such page.</p>\n<p><a href=\"/console/\">Back to the console</a></p>\n");
  }

  /** The paths that answer for themselves with or without a session. */
  static boolean ownEndpoint(String path) {
    return path.equals("/console/login")
        || path.startsWith("/console/login/")
        || path.equals("/console/logout")
        || path.equals("/console/session");
  }

  /** Serves the WAR's static file at {@code path}, if there is one; returns whether it did. */
  private boolean serveStatic(HttpServletRequest request, HttpServletResponse response, String path)
      throws IOException {
    String method = request.getMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return false;
    }
    String file = path.endsWith("/") ? path + "index.html" : path;
    if (file.contains("..") || file.contains("/WEB-INF") || file.contains("/META-INF")) {
      return false;
    }
    ServletContext context = request.getServletContext();
    URL url = context.getResource(file);
    if (url == null || file.endsWith("/")) {
      return false;
    }
    try (InputStream in = url.openStream()) {
      byte[] bytes = in.readAllBytes();
      response.setStatus(200);
      response.setContentType(typeOf(context, file));
      response.setContentLength(bytes.length);
      if (!"HEAD".equals(method)) {
        try (OutputStream out = response.getOutputStream()) {
          out.write(bytes);
        }
      }
      return true;
    } catch (IOException directoryOrGone) {
      return false;
    }
  }

  private static String typeOf(ServletContext context, String file) {
    int dot = file.lastIndexOf('.');
    String ext = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(ext);
    if (type == null) {
      type = context.getMimeType(file);
    }
    return type == null ? "application/octet-stream" : type;
  }
}
