package dev.warden.mock;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The mock OpenAI upstream's behaviour, as a WireMock response transformer. It is not applied
 * globally: stubs opt in with {@code aResponse().withTransformers(OpenAiMockTransformer.NAME)} (the
 * default stubs of {@link MockOpenAiServer} do). It dispatches on the request's method and path, so
 * a test's own stub may use it too, e.g. to add a delay in front of a real answer.
 */
public final class OpenAiMockTransformer implements ResponseDefinitionTransformerV2 {
  /** The extension's name, for {@code withTransformers(...)}. */
  public static final String NAME = "openai-mock";

  /** Request header: serve the response with a chunked dribble delay of this many ms in total. */
  public static final String DRIBBLE_HEADER = "x-mock-dribble-ms";

  /** Response header echoing the request's {@code Idempotency-Key}. */
  public static final String IDEMPOTENCY_ECHO_HEADER = "x-mock-idempotency-key";

  private static final Pattern BEARER = Pattern.compile("(?i)^Bearer\\s+\\S.*$");

  private final FilesApi files = new FilesApi();
  private final ConversationsApi conversations = new ConversationsApi();
  private final ResponsesApi responses = new ResponsesApi(conversations);
  private final BatchesApi batches = new BatchesApi(files, this::runBatchLine);

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  /** Forgets every stored response, file and batch. */
  public void clearState() {
    responses.clear();
    conversations.clear();
    batches.clear();
    files.clear();
  }

  @Override
  public ResponseDefinition transform(ServeEvent serveEvent) {
    Request request = serveEvent.getRequest();
    MockReply reply;
    try {
      reply = handle(request);
    } catch (ApiException e) {
      reply = MockReply.json(e.status(), e.toJson());
    } catch (RuntimeException e) {
      reply =
          MockReply.json(
              500,
              ApiException.body(
                  "The server had an error while processing your request. (mock: " + e + ")",
                  "server_error",
                  null,
                  null));
    }
    ResponseDefinitionBuilder response =
        ResponseDefinitionBuilder.like(serveEvent.getResponseDefinition())
            .but()
            .withStatus(reply.status())
            .withHeader("Content-Type", reply.contentType())
            .withHeader("x-request-id", JsonSupport.hexId("req_", 32))
            .withHeader("openai-version", "2020-10-01")
            .withHeader("openai-organization", "mock-org")
            .withHeader("openai-processing-ms", "1")
            .withHeader("x-ratelimit-limit-requests", "10000")
            .withHeader("x-ratelimit-remaining-requests", "9999")
            .withHeader("x-ratelimit-reset-requests", "6ms")
            .withHeader("x-ratelimit-limit-tokens", "30000000")
            .withHeader("x-ratelimit-remaining-tokens", "29999000")
            .withHeader("x-ratelimit-reset-tokens", "2ms")
            .withBody(reply.body());
    if (MockReply.EVENT_STREAM.equals(reply.contentType())) {
      response.withHeader("Cache-Control", "no-cache");
    }
    String idempotencyKey = request.getHeader("Idempotency-Key");
    if (idempotencyKey != null) {
      response.withHeader(IDEMPOTENCY_ECHO_HEADER, idempotencyKey);
    }
    String dribble = request.getHeader(DRIBBLE_HEADER);
    if (dribble != null) {
      try {
        int totalMs = Integer.parseInt(dribble.trim());
        int chunks = Math.max(2, Math.min(reply.events(), reply.body().length));
        if (totalMs > 0 && reply.body().length >= 2) {
          response.withChunkedDribbleDelay(chunks, totalMs);
        }
      } catch (NumberFormatException ignored) {
        // not a number: no dribble
      }
    }
    return response.build();
  }

  // ---- dispatch --------------------------------------------------------------------------

  private MockReply handle(Request request) {
    String url = request.getUrl();
    int query = url.indexOf('?');
    String path = query >= 0 ? url.substring(0, query) : url;
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String method = request.getMethod().getName();
    if (path.startsWith("/openai/")) {
      path = azurePath(request, method, path);
    } else {
      checkAuth(request);
    }
    if (!path.startsWith("/v1/")) {
      throw invalidUrl(method, path);
    }
    List<String> seg = new ArrayList<>(List.of(path.substring(4).split("/")));
    int n = seg.size();
    String root = seg.get(0);
    switch (root) {
      case "chat":
        if (n == 2 && "completions".equals(seg.get(1)) && "POST".equals(method)) {
          JsonObject body = JsonSupport.parseBody(request.getBodyAsString());
          if (JsonSupport.bool(body, "stream", false)) {
            int[] events = new int[1];
            String sse = ChatCompletions.stream(body, events);
            return MockReply.sse(sse, events[0]);
          }
          return ok(ChatCompletions.complete(body));
        }
        break;
      case "responses":
        if (n == 1 && "POST".equals(method)) {
          return responses.create(JsonSupport.parseBody(request.getBodyAsString()));
        }
        if (n == 2 && "GET".equals(method)) {
          return ok(responses.retrieve(seg.get(1)));
        }
        if (n == 2 && "DELETE".equals(method)) {
          return ok(responses.delete(seg.get(1)));
        }
        if (n == 3 && "cancel".equals(seg.get(2)) && "POST".equals(method)) {
          return ok(responses.cancel(seg.get(1)));
        }
        if (n == 3 && "input_items".equals(seg.get(2)) && "GET".equals(method)) {
          return ok(
              responses.inputItems(
                  seg.get(1),
                  intParam(request, "limit"),
                  param(request, "order"),
                  param(request, "after")));
        }
        break;
      case "conversations":
        if (n == 1 && "POST".equals(method)) {
          return ok(conversations.create(JsonSupport.parseBody(request.getBodyAsString())));
        }
        if (n == 2 && "GET".equals(method)) {
          return ok(conversations.retrieve(seg.get(1)));
        }
        if (n == 2 && "POST".equals(method)) {
          return ok(
              conversations.update(seg.get(1), JsonSupport.parseBody(request.getBodyAsString())));
        }
        if (n == 2 && "DELETE".equals(method)) {
          return ok(conversations.delete(seg.get(1)));
        }
        if (n == 3 && "items".equals(seg.get(2)) && "GET".equals(method)) {
          return ok(
              conversations.listItems(
                  seg.get(1),
                  intParam(request, "limit"),
                  param(request, "order"),
                  param(request, "after")));
        }
        if (n == 3 && "items".equals(seg.get(2)) && "POST".equals(method)) {
          return ok(
              conversations.addItems(seg.get(1), JsonSupport.parseBody(request.getBodyAsString())));
        }
        if (n == 4 && "items".equals(seg.get(2)) && "GET".equals(method)) {
          return ok(conversations.item(seg.get(1), seg.get(3)));
        }
        if (n == 4 && "items".equals(seg.get(2)) && "DELETE".equals(method)) {
          return ok(conversations.deleteItem(seg.get(1), seg.get(3)));
        }
        break;
      case "embeddings":
        if (n == 1 && "POST".equals(method)) {
          return ok(Embeddings.create(JsonSupport.parseBody(request.getBodyAsString())));
        }
        break;
      case "models":
        if (n == 1 && "GET".equals(method)) {
          return ok(Models.list());
        }
        if (n == 2 && "GET".equals(method)) {
          return ok(Models.retrieve(seg.get(1)));
        }
        break;
      case "files":
        if (n == 1 && "POST".equals(method)) {
          return ok(files.upload(request));
        }
        if (n == 1 && "GET".equals(method)) {
          return ok(
              files.list(
                  param(request, "purpose"),
                  intParam(request, "limit"),
                  param(request, "order"),
                  param(request, "after")));
        }
        if (n == 2 && "GET".equals(method)) {
          return ok(files.retrieve(seg.get(1)));
        }
        if (n == 2 && "DELETE".equals(method)) {
          return ok(files.delete(seg.get(1)));
        }
        if (n == 3 && "content".equals(seg.get(2)) && "GET".equals(method)) {
          return MockReply.bytes(files.find(seg.get(1)).bytes(), "application/octet-stream");
        }
        break;
      case "batches":
        if (n == 1 && "POST".equals(method)) {
          return ok(batches.create(JsonSupport.parseBody(request.getBodyAsString())));
        }
        if (n == 1 && "GET".equals(method)) {
          return ok(batches.list(intParam(request, "limit"), param(request, "after")));
        }
        if (n == 2 && "GET".equals(method)) {
          return ok(batches.retrieve(seg.get(1)));
        }
        if (n == 3 && "cancel".equals(seg.get(2)) && "POST".equals(method)) {
          return ok(batches.cancel(seg.get(1)));
        }
        break;
      default:
        break;
    }
    throw invalidUrl(method, path);
  }

  /** Runs a batch line through the same logic as the live endpoint (never stored). */
  private JsonObject runBatchLine(String url, JsonObject body) {
    switch (url) {
      case "/v1/chat/completions":
        return ChatCompletions.complete(body);
      case "/v1/embeddings":
        return Embeddings.create(body);
      case "/v1/responses":
        return responses.createForBatch(body);
      default:
        throw ApiException.invalid("url", "Unsupported batch URL: " + url);
    }
  }

  private static MockReply ok(JsonObject body) {
    return MockReply.json(200, body);
  }

  /**
   * Azure OpenAI's dialect: {@code api-key} header, {@code api-version} query parameter, {@code
   * /openai/deployments/<deployment>/chat/completions} and {@code .../embeddings}, and {@code
   * /openai/responses}; answered as the same OpenAI path would be.
   */
  private static String azurePath(Request request, String method, String path) {
    String key = request.getHeader("api-key");
    if (key == null || key.isBlank()) {
      throw ApiException.unauthorized(
          "Access denied due to invalid subscription key or wrong API endpoint. Make sure to"
              + " provide a valid key for an active subscription and use a correct regional API"
              + " endpoint for your resource.");
    }
    if (param(request, "api-version") == null) {
      throw ApiException.notFound(null, "Resource not found: no api-version");
    }
    List<String> seg = List.of(path.substring("/openai/".length()).split("/"));
    if (seg.size() == 3 && "deployments".equals(seg.get(0)) && "embeddings".equals(seg.get(2))) {
      return "/v1/embeddings";
    }
    if (seg.size() == 4
        && "deployments".equals(seg.get(0))
        && "chat".equals(seg.get(2))
        && "completions".equals(seg.get(3))) {
      return "/v1/chat/completions";
    }
    if ("responses".equals(seg.get(0))) {
      return "/v1/" + String.join("/", seg);
    }
    throw invalidUrl(method, path);
  }

  private static void checkAuth(Request request) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw ApiException.unauthorized(
          "You didn't provide an API key. You need to provide your API key in an Authorization"
              + " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password"
              + " field (with blank username) if you're accessing the API from your browser and are"
              + " prompted for a username and password. You can obtain an API key from"
              + " https://platform.openai.com/account/api-keys.");
    }
    if (!BEARER.matcher(authorization.trim()).matches()) {
      throw ApiException.unauthorized(
          "Incorrect API key provided. The Authorization header must be 'Bearer <api key>'.");
    }
  }

  private static ApiException invalidUrl(String method, String path) {
    return ApiException.notFound(null, "Invalid URL (" + method + " " + path + ")");
  }

  private static String param(Request request, String name) {
    QueryParameter p = request.queryParameter(name);
    return p != null && p.isPresent() ? p.firstValue() : null;
  }

  private static Integer intParam(Request request, String name) {
    String value = param(request, name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.invalid(
          name, "Invalid '" + name + "': expected an integer.", "invalid_type");
    }
  }
}
