package dev.warden.gateway.console;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import dev.warden.gateway.identity.AuthenticationFailedException;
import dev.warden.gateway.identity.DevRegistry;
import dev.warden.gateway.identity.Identity;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /console/login}: the sign-in page (server-rendered, no script) and the development
 * accounts' form. The page offers a link to sign in with the OpenID Connect provider when one is
 * configured ({@link OidcLogin}) and the username/password form when the development registry is
 * on. The form carries a login CSRF token, checked against a cookie of its own (double submit).
 */
@WebServlet(urlPatterns = "/console/login")
public class ConsoleLoginServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ConsoleLoginServlet.class.getName());

  /** The login CSRF cookie (double submit with the form's hidden {@code csrf} field). */
  static final String LOGIN_COOKIE = "warden_console_login";

  @Inject transient DevRegistry devRegistry;
  @Inject transient ConsoleSessions sessions;
  @Inject transient OidcLogin oidc;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    render(request, response, 200, null);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String expected = ConsoleHttp.cookie(request, LOGIN_COOKIE);
    String given = request.getParameter("csrf");
    if (expected == null || !ConsoleSessions.same(expected, given)) {
      LOG.log(Level.FINE, "WARDEN0871I: a console sign-in was refused: {0}", "csrf");
      render(
          request,
          response,
          403,
          "The sign-in form expired or did not come from this page. Please try again.");
      return;
    }
    if (!devRegistry.enabled()) {
      render(
          request,
          response,
          401,
          "Signing in with a user name and password is only for the development accounts, which"
              + " are off on this server.");
      return;
    }
    Identity identity;
    try {
      identity =
          devRegistry.authenticate(
              request.getParameter("username"), request.getParameter("password"));
    } catch (AuthenticationFailedException e) {
      LOG.log(Level.FINE, "WARDEN0871I: a console sign-in was refused: {0}", e.code());
      render(request, response, 401, "Incorrect user name or password.");
      return;
    }
    ConsoleHttp.addCookie(
        request, response, LOGIN_COOKIE, "", "/console/login", "Strict", Duration.ZERO);
    signIn(request, response, sessions, identity, "dev", request.getParameter("return"));
  }

  /** Starts a session for {@code identity}, sets its cookie and sends the browser on (303). */
  static void signIn(
      HttpServletRequest request,
      HttpServletResponse response,
      ConsoleSessions sessions,
      Identity identity,
      String method,
      String target) {
    Settings settings = ConfigProducer.settings();
    ConsoleSessions.Created created = sessions.create(identity, method);
    ConsoleHttp.setSessionCookie(
        request, response, created.token(), ConsoleSessions.maxLifetime(settings));
    LOG.log(Level.FINE, "WARDEN0870I: a console session began ({0})", method);
    ConsoleHttp.seeOther(request, response, ConsoleHttp.localTarget(target));
  }

  private void render(
      HttpServletRequest request, HttpServletResponse response, int status, String error)
      throws IOException {
    StringBuilder body = new StringBuilder();
    if (error != null) {
      body.append("<p role=\"alert\" class=\"error\">")
          .append(ConsoleHttp.escape(error))
          .append("</p>\n");
    }
    String target = ConsoleHttp.localTarget(request.getParameter("return"));
    boolean any = false;
    if (oidc.configured()) {
      any = true;
      body.append("<p><a class=\"oidc\" href=\"/console/login/oidc?return=")
          .append(
              ConsoleHttp.escape(
                  java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8)))
          .append("\">Sign in with ")
          .append(ConsoleHttp.escape(oidc.providerName()))
          .append("</a></p>\n");
    }
    if (devRegistry.enabled()) {
      any = true;
      String csrf = ConsoleHttp.cookie(request, LOGIN_COOKIE);
      if (csrf == null || csrf.length() != 43) {
        csrf = ConsoleSessions.newToken();
        ConsoleHttp.addCookie(
            request, response, LOGIN_COOKIE, csrf, "/console/login", "Strict", Duration.ofHours(1));
      }
      body.append("<form method=\"post\" action=\"/console/login\">\n")
          .append("<h2>Development account</h2>\n")
          .append("<input type=\"hidden\" name=\"csrf\" value=\"")
          .append(ConsoleHttp.escape(csrf))
          .append("\">\n<input type=\"hidden\" name=\"return\" value=\"")
          .append(ConsoleHttp.escape(target))
          .append("\">\n")
          .append("<p><label for=\"username\">User name</label>\n")
          .append(
              "<input id=\"username\" name=\"username\" autocomplete=\"username\" required></p>\n")
          .append("<p><label for=\"password\">Password</label>\n")
          .append(
              "<input id=\"password\" name=\"password\" type=\"password\""
                  + " autocomplete=\"current-password\" required></p>\n")
          .append("<p><button type=\"submit\">Sign in</button></p>\n</form>\n");
    }
    if (!any) {
      body.append(
          "<p>No way to sign in is configured on this server: the operator sets"
              + " warden.console.oidc.issuer (see the documentation).</p>\n");
    }
    ConsoleHttp.page(response, status, "Sign in to Warden", body.toString());
  }
}
