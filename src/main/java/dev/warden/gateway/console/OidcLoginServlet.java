package dev.warden.gateway.console;

import dev.warden.config.ConfigProducer;
import dev.warden.gateway.identity.Identity;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * {@code GET /console/login/oidc}: 302 to the provider ({@link OidcLogin#start}); {@code GET
 * /console/login/callback}: the provider's answer becomes a session ({@link OidcLogin#complete}),
 * then a page that moves on to the console (a meta refresh and a link). A failure is a readable
 * page with a link back to the sign-in page.
 */
@WebServlet(urlPatterns = {"/console/login/oidc", "/console/login/callback"})
public class OidcLoginServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject transient OidcLogin oidc;
  @Inject transient ConsoleSessions sessions;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      if (ConsoleHttp.path(request).equals("/console/login/oidc")) {
        String target = ConsoleHttp.localTarget(request.getParameter("return"));
        OidcLogin.Start start = oidc.start(redirectUri(request));
        String value =
            start.secret()
                + "."
                + Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(target.getBytes(StandardCharsets.UTF_8));
        // Lax: the provider's redirect back is a cross-site navigation
        ConsoleHttp.addCookie(
            request,
            response,
            OidcLogin.FLOW_COOKIE,
            value,
            "/console/login",
            "Lax",
            Duration.ofMinutes(10));
        response.setStatus(302);
        response.setHeader("Location", start.authorization().toString());
        return;
      }
      String flow = ConsoleHttp.cookie(request, OidcLogin.FLOW_COOKIE);
      String secret = null;
      String target = "/console/";
      if (flow != null) {
        int dot = flow.indexOf('.');
        secret = dot < 0 ? flow : flow.substring(0, dot);
        if (dot >= 0) {
          try {
            target =
                ConsoleHttp.localTarget(
                    new String(
                        Base64.getUrlDecoder().decode(flow.substring(dot + 1)),
                        StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            target = "/console/";
          }
        }
      }
      ConsoleHttp.addCookie(
          request, response, OidcLogin.FLOW_COOKIE, "", "/console/login", "Lax", Duration.ZERO);
      String query = request.getQueryString();
      URI callback = URI.create(request.getRequestURL() + (query == null ? "" : "?" + query));
      Identity identity = oidc.complete(callback, secret, redirectUri(request));
      ConsoleSessions.Created created = sessions.create(identity, "oidc");
      ConsoleHttp.setSessionCookie(
          request,
          response,
          created.token(),
          ConsoleSessions.maxLifetime(ConfigProducer.settings()));
      // a page, not a redirect: after the provider's cross-site redirect, browsers withhold
      // SameSite=Strict cookies for the rest of that navigation; this page's own navigation is
      // same-site, so the new session cookie goes with it
      String href = ConsoleHttp.escape(request.getContextPath() + target);
      ConsoleHttp.page(
          response,
          200,
          "Signed in",
          "<meta http-equiv=\"refresh\" content=\"0;url=" + href + "\">\n",
          "<p><a href=\"" + href + "\">Continue to the console</a></p>\n");
    } catch (OidcLogin.SignInFailed e) {
      ConsoleHttp.page(
          response,
          e.status(),
          "Sign-in failed",
          "<p role=\"alert\">"
              + ConsoleHttp.escape(e.getMessage())
              + "</p>\n<p><a href=\"/console/login\">Back to the sign-in page</a></p>\n");
    }
  }

  /** The callback URL registered at the provider: configured, else this server's own. */
  static URI redirectUri(HttpServletRequest request) {
    return ConfigProducer.settings()
        .string(OidcLogin.REDIRECT_URI)
        .filter(v -> !v.isBlank())
        .map(v -> URI.create(v.trim()))
        .orElseGet(
            () -> {
              String scheme = request.getScheme();
              int port = request.getServerPort();
              boolean defaultPort =
                  ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
              return URI.create(
                  scheme
                      + "://"
                      + request.getServerName()
                      + (defaultPort ? "" : ":" + port)
                      + request.getContextPath()
                      + "/console/login/callback");
            });
  }
}
