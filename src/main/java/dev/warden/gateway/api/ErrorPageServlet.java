package dev.warden.gateway.api;

import dev.warden.call.CallContext;
import dev.warden.gateway.console.ConsoleHttp;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The answer to every error the servlet container raises itself, outside JAX-RS (WEB-INF/web.xml
 * maps every status and every exception here): an unsupported method the container refuses, a
 * failure while reading a request, an unknown path outside {@code /v1} and {@code /api}. It answers
 * in the caller's format, by the path of the failed request: OpenAI's error object on {@code /v1},
 * problem JSON on {@code /api}, a short HTML page on {@code /console}, a short plain-text page
 * elsewhere. Never a stack trace, never the container's HTML.
 */
public class ErrorPageServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());

  /** Where web.xml sends errors. */
  static final String LOCATION = "/.warden-error";

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    Object uriAttribute = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    int status = statusAttribute instanceof Integer i ? i : 404;
    if (status < 400) {
      status = 500;
    }
    String path = uriAttribute instanceof String s ? s : request.getRequestURI();
    if (exception instanceof Throwable t) {
      // the class only: a message can quote the request (the container chose the status: 400 for
      // a URI it refuses to decode, 500 for a failure)
      if (status >= 500) {
        LOG.log(
            Level.SEVERE,
            "WARDEN0298E: the container failed while serving a request: {0}",
            t.getClass().getName());
      } else {
        LOG.log(
            Level.FINE,
            "WARDEN0208I: the container refused a request ({0}): {1}",
            new Object[] {status, t.getClass().getName()});
      }
    }
    if (response.isCommitted()) {
      return;
    }
    String code = GenericExceptionMapper.clientCode(status);
    String message = GenericExceptionMapper.statusMessage(status);
    response.resetBuffer();
    if (ErrorResponses.isApi(path)
        || (path != null && (path.equals("/v1") || path.startsWith("/v1/")))) {
      String type = status >= 500 ? "server_error" : "invalid_request_error";
      ErrorResponses.write(response, path, status, type, code, null, message);
      return;
    }
    if (path != null && (path.equals("/console") || path.startsWith("/console/"))) {
      response.setHeader("x-request-id", CallContext.newRequestId());
      ConsoleHttp.errorPage(response, status, message);
      return;
    }
    response.setStatus(status);
    response.setHeader("x-request-id", CallContext.newRequestId());
    response.setContentType("text/plain;charset=utf-8");
    byte[] bytes = (status + " " + message + "\n").getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
