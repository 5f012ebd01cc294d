package dev.warden.gateway.console;

import dev.warden.config.Jsonp;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /console/session}: the signed-in principal, tenant, roles, sign-in method, CSRF token
 * and expiry; 401 problem JSON without a valid session.
 */
@WebServlet(urlPatterns = "/console/session")
public class ConsoleSessionServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject transient ConsoleSessions sessions;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<ConsoleSession> session = sessions.find(ConsoleHttp.sessionToken(request));
    JsonObject body;
    if (session.isEmpty()) {
      response.setStatus(401);
      response.setContentType("application/problem+json");
      body =
          Jsonp.createObjectBuilder()
              .add("type", "about:blank")
              .add("title", "Unauthorized")
              .add("status", 401)
              .add("detail", "No console session: sign in at /console/login")
              .add("code", "no_session")
              .build();
    } else {
      ConsoleSession s = session.get();
      response.setStatus(200);
      response.setContentType("application/json");
      body =
          Jsonp.createObjectBuilder()
              .add("principal", s.principal())
              .add("tenant", s.tenant())
              .add("roles", Jsonp.createArrayBuilder(s.roleNames()))
              .add("method", s.method())
              .add("csrf_token", s.csrfToken())
              .add("expires_at", s.expiresAt().toString())
              .build();
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
