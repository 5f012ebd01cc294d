package dev.warden.gateway.console;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /console/logout}: with the session's CSRF token (form field {@code csrf} or header
 * {@code X-CSRF-Token}) the session is deleted, its cookie cleared and the browser sent to the
 * sign-in page (303). A wrong token is refused (403) and the session kept.
 */
@WebServlet(urlPatterns = "/console/logout")
public class ConsoleLogoutServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ConsoleLogoutServlet.class.getName());

  @Inject transient ConsoleSessions sessions;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String token = ConsoleHttp.sessionToken(request);
    Optional<ConsoleSession> session = sessions.find(token);
    if (session.isPresent()) {
      String given = request.getHeader(ConsoleHttp.CSRF_HEADER);
      if (given == null) {
        given = request.getParameter("csrf");
      }
      if (!ConsoleSessions.same(session.get().csrfToken(), given)) {
        LOG.fine("WARDEN0876I: a console request without a valid CSRF token was refused");
        ConsoleHttp.page(
            response,
            403,
            "Not signed out",
            "<p>The request did not carry this session's CSRF token.</p>\n"
                + "<p><a href=\"/console/\">Back to the console</a></p>\n");
        return;
      }
      sessions.delete(token);
      LOG.log(Level.FINE, "WARDEN0877I: a console session ended ({0})", session.get().method());
    }
    ConsoleHttp.clearSessionCookie(request, response);
    ConsoleHttp.seeOther(request, response, "/console/login");
  }
}
