package dev.warden.gateway.api;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import dev.warden.gateway.console.ConsoleCookieAuthentication;
import dev.warden.gateway.identity.AuthenticationFailedException;
import dev.warden.gateway.identity.Authenticator;
import dev.warden.gateway.identity.Identity;
import dev.warden.openai.model.ErrorDetail;
import jakarta.inject.Inject;
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
import java.time.Duration;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hardening in front of every {@code /v1} and {@code /api} request, before JAX-RS reads a byte:
 *
 * <ul>
 *   <li>headers larger than {@code warden.http.max-header-bytes} in all are refused with 431;
 *   <li>a request with a body is authenticated from its headers <em>before</em> a byte of the body
 *       is read (an {@code /api} request without {@code Authorization} by its console session
 *       cookie and CSRF token, {@link ConsoleCookieAuthentication}): without valid credentials it
 *       is refused with 401 and the connection closed, so anonymous senders cannot make Warden
 *       buffer anything (the identity is kept for {@link AccessFilter}, which authorizes);
 *   <li>a body larger than {@code warden.http.max-body-bytes} is refused with 413 (by its declared
 *       length at once, or as soon as a chunked body passes the limit);
 *   <li>a body is read only into bytes reserved from one budget shared by all requests ({@code
 *       warden.http.max-buffered-bytes}, {@link BodyBudget}); when it is spent the request is
 *       refused with 503 and {@code Retry-After} instead of buffered;
 *   <li>a body that takes longer than {@code warden.http.body-timeout} to arrive in all, or pauses
 *       longer than the server's read timeout ({@code warden.http.read-timeout}), is refused with
 *       408 and the connection closed;
 *   <li>a JSON body must be UTF-8 (RFC 8259): another declared charset is refused with 415, bytes
 *       that are not UTF-8 with 400;
 *   <li>JSON nested deeper than {@code warden.http.max-json-depth} is refused with 400 before any
 *       parser recurses into it;
 *   <li>a key twice in one JSON object is refused with 400 {@code duplicate_key}; on {@code /v1}'s
 *       request bodies an unknown field or one of the wrong JSON type, at any depth, is refused
 *       with OpenAI's 400 ({@link RequestShape});
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
  static final String MAX_BUFFERED = "warden.http.max-buffered-bytes";
  static final String BODY_TIMEOUT = "warden.http.body-timeout";
  static final String MAX_HEADERS = "warden.http.max-header-bytes";

  /** The request attribute holding the {@link Identity} this filter authenticated. */
  static final String IDENTITY = RequestLimitsFilter.class.getName() + ".identity";

  /** The first reservation of a body; it doubles from there. */
  private static final int STEP = 64 * 1024;

  private static final byte[] EMPTY = new byte[0];

  @Inject Authenticator authenticator;
  @Inject ConsoleCookieAuthentication console;

  private int maxBody;
  private int maxDepth;
  private int maxHeaders;
  private long bodyTimeoutNanos;
  private BodyBudget budget;

  @Override
  public void init(FilterConfig config) {
    Settings settings = ConfigProducer.settings();
    maxBody = settings.integer(MAX_BODY, 16 * 1024 * 1024, 1);
    maxDepth = settings.integer(MAX_DEPTH, 64, 1);
    maxHeaders = settings.integer(MAX_HEADERS, 16 * 1024, 1024);
    int maxBuffered = settings.integer(MAX_BUFFERED, 128 * 1024 * 1024, 1);
    if (maxBuffered < maxBody) {
      throw new IllegalArgumentException(
          MAX_BUFFERED
              + " ("
              + maxBuffered
              + ") must be at least "
              + MAX_BODY
              + " ("
              + maxBody
              + "), or no body of the largest allowed size could ever be read");
    }
    budget = new BodyBudget(maxBuffered);
    Duration timeout = settings.duration(BODY_TIMEOUT, Duration.ofSeconds(30));
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(BODY_TIMEOUT + " must be positive: " + timeout);
    }
    bodyTimeoutNanos = timeout.toNanos();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    securityHeaders(request, response);
    if (headerBytes(request) > maxHeaders) {
      refuse(
          request,
          response,
          431,
          "request_headers_too_large",
          "the request headers are larger than " + maxHeaders + " bytes");
      return;
    }
    String method = request.getMethod();
    if (!"POST".equals(method) && !"PUT".equals(method) && !"PATCH".equals(method)) {
      chain.doFilter(request, response);
      return;
    }
    if (!authenticated(request, response)) {
      return;
    }
    long declared = request.getContentLengthLong();
    if (declared > maxBody) {
      refuse(request, response, 413, "request_too_large", tooLarge());
      return;
    }
    Body body = new Body();
    try {
      if (!read(request, response, declared, body)) {
        return;
      }
      byte[] bytes = body.bytes();
      if (!acceptable(request, response, bytes)) {
        return;
      }
      chain.doFilter(new CachedBody(request, bytes), response);
    } finally {
      budget.release(body.reserved);
    }
  }

  /**
   * Authenticates the request from its headers; refuses it (401, connection closed, body unread)
   * when that fails. The identity is kept for {@link AccessFilter}.
   */
  private boolean authenticated(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<ConsoleCookieAuthentication.Result> cookie =
        console.authenticate(request, pathOf(request), request.getMethod());
    if (cookie.isPresent()) {
      if (cookie.get() instanceof ConsoleCookieAuthentication.Authenticated a) {
        request.setAttribute(IDENTITY, a.session().identity());
        return true;
      }
      refuse(
          request,
          response,
          403,
          ConsoleCookieAuthentication.CSRF_INVALID,
          ConsoleCookieAuthentication.CSRF_MESSAGE);
      return false;
    }
    Identity identity;
    String code;
    String message;
    try {
      identity = authenticator.authenticate(request.getHeader("Authorization")).orElse(null);
      code = "missing_credentials";
      message = AccessFilter.NO_CREDENTIALS;
    } catch (AuthenticationFailedException e) {
      LOG.log(Level.FINE, "WARDEN0805I: authentication failed: {0}", e.code());
      identity = null;
      code = e.code();
      message = e.getMessage();
    }
    if (identity != null) {
      request.setAttribute(IDENTITY, identity);
      return true;
    }
    response.setHeader("WWW-Authenticate", AccessFilter.WWW_AUTHENTICATE);
    refuse(request, response, 401, code, message);
    return false;
  }

  /** A body read into bytes reserved from the budget; {@code reserved} is returned at the end. */
  private static final class Body {
    byte[] buffer = EMPTY;
    int length;
    long reserved;

    byte[] bytes() {
      return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }
  }

  /**
   * Reads the body into {@code body}, within the body timeout and the shared budget; refuses the
   * request and returns {@code false} when it cannot. The buffer grows as bytes arrive (doubling,
   * up to the declared length or the limit), and every growth is reserved first, so a slow sender
   * holds only what it has sent.
   */
  private boolean read(
      HttpServletRequest request, HttpServletResponse response, long declared, Body body)
      throws IOException {
    long deadline = System.nanoTime() + bodyTimeoutNanos;
    long capacityLimit = declared >= 0 ? declared : maxBody + 1L;
    ServletInputStream in = request.getInputStream();
    while (true) {
      if (body.length == body.buffer.length) {
        if (body.length >= capacityLimit) {
          if (declared >= 0) {
            return true; // the declared length has arrived
          }
          refuse(request, response, 413, "request_too_large", tooLarge());
          return false;
        }
        int grow = (int) Math.min(Math.max(STEP, body.buffer.length), capacityLimit - body.length);
        if (!reserve(request, response, body, grow)) {
          return false;
        }
        body.buffer = Arrays.copyOf(body.buffer, body.length + grow);
      }
      int n;
      try {
        n = in.read(body.buffer, body.length, body.buffer.length - body.length);
      } catch (IOException e) {
        // Liberty's read timeout (a sender that stalls or trickles) or a client that went away
        LOG.log(
            Level.FINE,
            "WARDEN0206I: a request body could not be read: {0}",
            e.getClass().getName());
        refuseQuietly(request, response, 408, "request_timeout", timedOut());
        return false;
      }
      if (n < 0) {
        if (declared >= 0 && body.length < declared) {
          refuseQuietly(request, response, 400, "incomplete_body", "the request body ended early");
          return false;
        }
        if (body.length > maxBody) {
          refuse(request, response, 413, "request_too_large", tooLarge());
          return false;
        }
        return true;
      }
      body.length += n;
      if (body.length > maxBody) {
        refuse(request, response, 413, "request_too_large", tooLarge());
        return false;
      }
      if (System.nanoTime() - deadline > 0) {
        LOG.fine("WARDEN0206I: a request body did not arrive within the body timeout");
        refuse(request, response, 408, "request_timeout", timedOut());
        return false;
      }
    }
  }

  private String timedOut() {
    return "the request body did not arrive in time (within "
        + Duration.ofNanos(bodyTimeoutNanos).toSeconds()
        + " s in all, and without a pause longer than the server's read timeout)";
  }

  /** A refusal to a client that may be gone already: a failure to write it is not an error. */
  private static void refuseQuietly(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String code,
      String message) {
    try {
      refuse(request, response, status, code, message);
    } catch (IOException | IllegalStateException e) {
      LOG.log(
          Level.FINE, "WARDEN0206I: the refusal could not be sent: {0}", e.getClass().getName());
    }
  }

  private boolean reserve(
      HttpServletRequest request, HttpServletResponse response, Body body, long bytes)
      throws IOException {
    if (budget.tryReserve(bytes)) {
      body.reserved += bytes;
      return true;
    }
    LOG.fine("WARDEN0207I: a request body was refused: the buffered-bytes budget is spent");
    response.setHeader("Retry-After", "1");
    refuse(
        request,
        response,
        503,
        "server_busy",
        "Warden is reading too many request bodies at once; retry shortly");
    return false;
  }

  /** The checks on a complete body; refuses the request and returns {@code false} on a problem. */
  private boolean acceptable(HttpServletRequest request, HttpServletResponse response, byte[] body)
      throws IOException {
    String contentType = request.getContentType();
    if (!isJson(contentType) || body.length == 0) {
      return true;
    }
    String charset = charsetOf(contentType);
    if (charset != null && !charset.equals("utf-8")) {
      refuse(
          request,
          response,
          415,
          "unsupported_charset",
          "JSON must be sent as UTF-8 (RFC 8259), not " + charset);
      return false;
    }
    if (!isUtf8(body)) {
      refuse(request, response, 400, "invalid_encoding", "the body is not valid UTF-8");
      return false;
    }
    if (depthExceeds(body, maxDepth)) {
      refuse(
          request,
          response,
          400,
          "json_too_deep",
          "the JSON body is nested deeper than " + maxDepth + " levels");
      return false;
    }
    ErrorDetail problem = RequestShape.forPath(pathOf(request)).check(body);
    if (problem != null) {
      refuse(request, response, 400, problem.code(), problem.param(), problem.message());
      return false;
    }
    return true;
  }

  /** The bytes of the request's headers: names, values and separators. */
  private static long headerBytes(HttpServletRequest request) {
    long total = 0;
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = request.getHeaders(name);
      while (values != null && values.hasMoreElements()) {
        String value = values.nextElement();
        total += name.length() + 4 + (value == null ? 0 : value.length());
      }
    }
    return total;
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
    // the body was not (fully) read: do not keep a connection with unread bytes on it
    response.setHeader("Connection", "close");
    ErrorResponses.write(
        response, pathOf(request), status, "invalid_request_error", code, param, message);
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
