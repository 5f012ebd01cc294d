package dev.warden.gateway.api;

import dev.warden.config.ConfigProducer;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ErrorBody;
import dev.warden.openai.model.ErrorDetail;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Hardening in front of every {@code /v1} and {@code /api} request, before JAX-RS reads a byte:
 *
 * <ul>
 *   <li>a body larger than {@code warden.http.max-body-bytes} is refused with 413 (by its declared
 *       length at once, or as soon as a chunked body passes the limit);
 *   <li>a JSON body must be UTF-8 (RFC 8259): another declared charset is refused with 415, bytes
 *       that are not UTF-8 with 400;
 *   <li>JSON nested deeper than {@code warden.http.max-json-depth} is refused with 400 before any
 *       parser recurses into it;
 *   <li>on {@code /v1}'s request bodies, an unknown top-level field or one of the wrong JSON type
 *       is refused with OpenAI's 400 ({@link RequestShape});
 *   <li>every response carries security headers ({@code nosniff}, no framing, no referrer, a closed
 *       content security policy, HSTS over TLS). CORS is off: no {@code Access-Control-Allow-*}
 *       header is ever sent, so browsers on other origins cannot call Warden.
 * </ul>
 *
 * Refusals are in the caller's format (OpenAI's error object on {@code /v1}, problem JSON on {@code
 * /api}) and say which limit, never echo the body.
 */
@WebFilter(
    urlPatterns = {"/v1/*", "/api/*"},
    asyncSupported = true)
public class RequestLimitsFilter implements Filter {
  private static final Logger LOG = Logger.getLogger(RequestLimitsFilter.class.getName());

  static final String MAX_BODY = "warden.http.max-body-bytes";
  static final String MAX_DEPTH = "warden.http.max-json-depth";

  private int maxBody;
  private int maxDepth;

  @Override
  public void init(FilterConfig config) {
    maxBody =
        Integer.parseInt(ConfigProducer.settings().string(MAX_BODY).orElse("16777216").trim());
    maxDepth = Integer.parseInt(ConfigProducer.settings().string(MAX_DEPTH).orElse("64").trim());
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    securityHeaders(request, response);
    String method = request.getMethod();
    if (!"POST".equals(method) && !"PUT".equals(method) && !"PATCH".equals(method)) {
      chain.doFilter(request, response);
      return;
    }
    long declared = request.getContentLengthLong();
    if (declared > maxBody) {
      refuse(request, response, 413, "request_too_large", tooLarge());
      return;
    }
    byte[] body = request.getInputStream().readNBytes(maxBody + 1);
    if (body.length > maxBody) {
      refuse(request, response, 413, "request_too_large", tooLarge());
      return;
    }
    String contentType = request.getContentType();
    if (isJson(contentType) && body.length > 0) {
      String charset = charsetOf(contentType);
      if (charset != null && !charset.equals("utf-8")) {
        refuse(
            request,
            response,
            415,
            "unsupported_charset",
            "JSON must be sent as UTF-8 (RFC 8259), not " + charset);
        return;
      }
      if (!isUtf8(body)) {
        refuse(request, response, 400, "invalid_encoding", "the body is not valid UTF-8");
        return;
      }
      if (depthExceeds(body, maxDepth)) {
        refuse(
            request,
            response,
            400,
            "json_too_deep",
            "the JSON body is nested deeper than " + maxDepth + " levels");
        return;
      }
      RequestShape shape = RequestShape.forPath(pathOf(request));
      ErrorDetail problem = shape == null ? null : shape.check(body);
      if (problem != null) {
        refuse(request, response, 400, problem.code(), problem.param(), problem.message());
        return;
      }
    }
    chain.doFilter(new CachedBody(request, body), response);
  }

  private String tooLarge() {
    return "the request body is larger than " + maxBody + " bytes";
  }

  private static void securityHeaders(HttpServletRequest request, HttpServletResponse response) {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    if (request.isSecure()) {
      response.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return true; // JAX-RS refuses a missing type itself; a JSON body is checked anyway
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("application/json") || type.contains("+json");
  }

  private static String charsetOf(String contentType) {
    for (String part : contentType.split(";")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.startsWith("charset=")) {
        String value = p.substring("charset=".length()).replace("\"", "").trim();
        return value.equals("utf8") ? "utf-8" : value;
      }
    }
    return null;
  }

  private static boolean isUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * Whether arrays and objects nest deeper than {@code max}, by one pass over the bytes that skips
   * strings (and their escapes). Malformed JSON is left to the parser.
   */
  static boolean depthExceeds(byte[] json, int max) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > max) {
          return true;
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return false;
  }

  private static String pathOf(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  private static void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String code,
      String message)
      throws IOException {
    refuse(request, response, status, code, null, message);
  }

  private static void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String code,
      String param,
      String message)
      throws IOException {
    LOG.fine(() -> "WARDEN0205I: request refused before parsing: " + code);
    String path = pathOf(request);
    String body;
    if (path.startsWith("/api")) {
      response.setContentType(ErrorResponses.PROBLEM_JSON);
      body = ErrorResponses.problem(status, code, message).toString();
    } else {
      response.setContentType("application/json");
      response.setHeader(ErrorResponses.SHOULD_RETRY, "false");
      body =
          SharedJsonb.JSONB.toJson(
              new ErrorBody(new ErrorDetail(message, "invalid_request_error", param, code)));
    }
    response.setStatus(status);
    response.setHeader("x-request-id", ErrorResponses.newRequestId());
    // the body was not (fully) read: do not keep a connection with unread bytes on it
    response.setHeader("Connection", "close");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** The request with its body already read into memory. */
  private static final class CachedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    CachedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body was read already; read it synchronously");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
