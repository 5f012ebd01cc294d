package dev.warden.mock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.matching.UrlPattern;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A mock OpenAI upstream on WireMock, for development and tests.
 *
 * <p>{@link #start(int)} starts WireMock on 127.0.0.1 with the OpenAI behaviour ({@link
 * OpenAiMockTransformer}) registered as low-priority default stubs ({@link #DEFAULT_PRIORITY} for
 * every endpoint, {@link #FALLBACK_PRIORITY} for the 404 of unknown {@code /v1} paths). A test adds
 * its own fault stubs on top with any higher priority (a smaller number; WireMock's default of 5
 * will do), e.g.:
 *
 * <pre>{@code
 * server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
 *     .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
 * }</pre>
 *
 * <p>and gets back to normal with {@link #installDefaults(WireMockServer)} (stubs only) or {@link
 * #resetToDefaults(WireMockServer)} (stubs, request journal, scenarios and the stored responses,
 * files and batches). WireMock's own {@code server.resetAll()} / {@code resetToDefaultMappings()}
 * also restore the default stubs (they are loaded by {@link OpenAiDefaultStubs}).
 *
 * <p>Run {@link #main(String[])} to serve it on a fixed port (default {@value #DEFAULT_PORT}).
 */
public final class MockOpenAiServer {
  /** The port {@link #main(String[])} uses without an argument. */
  public static final int DEFAULT_PORT = 9089;

  /** The priority of the default endpoint stubs (WireMock: 1 is the highest). */
  public static final int DEFAULT_PRIORITY = 100;

  /** The priority of the catch-all stub answering unknown {@code /v1} paths with a 404. */
  public static final int FALLBACK_PRIORITY = 101;

  /** The metadata key (value {@code "default"}) that marks the default stubs. */
  public static final String METADATA_KEY = "openai-mock";

  private static final String ID = "[^/]+";

  private MockOpenAiServer() {}

  /** Starts the mock on 127.0.0.1:{@code port} (0 = a random free port); stop it when done. */
  public static WireMockServer start(int port) {
    WireMockServer server = new WireMockServer(options(port));
    server.start();
    return server;
  }

  /**
   * A WireMock configuration with the mock's extensions (fresh state) and quiet logging, bound to
   * 127.0.0.1:{@code port} (0 = random), for a caller that wants to tune it before starting.
   */
  public static WireMockConfiguration options(int port) {
    WireMockConfiguration options =
        WireMockConfiguration.options()
            .bindAddress("127.0.0.1")
            .usingFilesUnderDirectory(scratchDirectory().toString())
            .extensions(new OpenAiMockTransformer(), new OpenAiDefaultStubs())
            .gzipDisabled(true)
            .maxRequestJournalEntries(1000)
            .notifier(new ConsoleNotifier(false));
    return port == 0 ? options.dynamicPort() : options.port(port);
  }

  /** The base URL clients use: {@code http://127.0.0.1:PORT/v1}. */
  public static String baseUrl(WireMockServer server) {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  /**
   * Removes every stub (fault stubs included) and registers the default OpenAI stubs again. The
   * stored responses, files and batches, and the request journal, are kept.
   */
  public static void installDefaults(WireMockServer server) {
    for (StubMapping mapping : server.getStubMappings()) {
      server.removeStubMapping(mapping);
    }
    for (StubMapping mapping : defaultStubs()) {
      server.addStubMapping(mapping);
    }
  }

  /**
   * Back to a freshly started mock: default stubs only, empty request journal, scenarios reset and
   * no stored responses, files or batches.
   */
  public static void resetToDefaults(WireMockServer server) {
    server.resetRequests();
    server.resetScenarios();
    installDefaults(server);
    Map<String, Extension> extensions = server.getOptions().getDeclaredExtensions().getInstances();
    Extension transformer = extensions.get(OpenAiMockTransformer.NAME);
    if (transformer instanceof OpenAiMockTransformer) {
      ((OpenAiMockTransformer) transformer).clearState();
    }
  }

  /** Where the IT server's OpenTelemetry Zipkin exporter sends spans (see the pom). */
  public static final String ZIPKIN_SPANS = "/zipkin/api/v2/spans";

  /** New instances of the default stubs (every endpoint at {@link #DEFAULT_PRIORITY}). */
  public static List<StubMapping> defaultStubs() {
    List<StubMapping> stubs = new ArrayList<>();
    add(stubs, "POST", "/v1/chat/completions", false);
    add(stubs, "POST", "/v1/responses", false);
    add(stubs, "GET", "/v1/responses/" + ID, true);
    add(stubs, "DELETE", "/v1/responses/" + ID, true);
    add(stubs, "POST", "/v1/responses/" + ID + "/cancel", true);
    add(stubs, "GET", "/v1/responses/" + ID + "/input_items", true);
    add(stubs, "POST", "/v1/conversations", false);
    add(stubs, "GET", "/v1/conversations/" + ID, true);
    add(stubs, "POST", "/v1/conversations/" + ID, true);
    add(stubs, "DELETE", "/v1/conversations/" + ID, true);
    add(stubs, "GET", "/v1/conversations/" + ID + "/items", true);
    add(stubs, "POST", "/v1/conversations/" + ID + "/items", true);
    add(stubs, "GET", "/v1/conversations/" + ID + "/items/" + ID, true);
    add(stubs, "DELETE", "/v1/conversations/" + ID + "/items/" + ID, true);
    add(stubs, "POST", "/v1/embeddings", false);
    add(stubs, "GET", "/v1/models", false);
    add(stubs, "GET", "/v1/models/" + ID, true);
    add(stubs, "POST", "/v1/files", false);
    add(stubs, "GET", "/v1/files", false);
    add(stubs, "GET", "/v1/files/" + ID, true);
    add(stubs, "DELETE", "/v1/files/" + ID, true);
    add(stubs, "GET", "/v1/files/" + ID + "/content", true);
    add(stubs, "POST", "/v1/batches", false);
    add(stubs, "GET", "/v1/batches", false);
    add(stubs, "GET", "/v1/batches/" + ID, true);
    add(stubs, "POST", "/v1/batches/" + ID + "/cancel", true);
    // Azure OpenAI's paths (api-key header, api-version parameter), answered the same way
    stubs.add(
        any(urlPathMatching("/openai/.*"))
            .atPriority(DEFAULT_PRIORITY)
            .withName("OpenAI mock default: Azure OpenAI paths")
            .withMetadata(Map.of(METADATA_KEY, "default"))
            .willReturn(aResponse().withTransformers(OpenAiMockTransformer.NAME))
            .build());
    // the IT server exports its trace spans here (Zipkin JSON v2); TracingIT reads the journal
    stubs.add(
        post(urlPathEqualTo(ZIPKIN_SPANS))
            .atPriority(DEFAULT_PRIORITY)
            .withName("trace collector: Zipkin spans")
            .withMetadata(Map.of(METADATA_KEY, "default"))
            .willReturn(aResponse().withStatus(202))
            .build());
    stubs.add(
        any(urlPathMatching("/v1(/.*)?"))
            .atPriority(FALLBACK_PRIORITY)
            .withName("OpenAI mock default: unknown /v1 path")
            .withMetadata(Map.of(METADATA_KEY, "default"))
            .willReturn(aResponse().withTransformers(OpenAiMockTransformer.NAME))
            .build());
    return stubs;
  }

  private static void add(List<StubMapping> stubs, String method, String path, boolean pattern) {
    UrlPattern url = pattern ? urlPathMatching(path) : urlPathEqualTo(path);
    Function<UrlPattern, MappingBuilder> builder;
    switch (method) {
      case "GET":
        builder = u -> get(u);
        break;
      case "DELETE":
        builder = u -> delete(u);
        break;
      default:
        builder = u -> post(u);
        break;
    }
    stubs.add(
        builder
            .apply(url)
            .atPriority(DEFAULT_PRIORITY)
            .withName("OpenAI mock default: " + method + " " + path)
            .withMetadata(Map.of(METADATA_KEY, "default"))
            .willReturn(aResponse().withTransformers(OpenAiMockTransformer.NAME))
            .build());
  }

  /** An empty WireMock root, so no mapping files from the working directory are loaded. */
  private static Path scratchDirectory() {
    try {
      Path root = Files.createTempDirectory("mock-openai-");
      root.toFile().deleteOnExit();
      Path mappings = Files.createDirectories(root.resolve("mappings"));
      mappings.toFile().deleteOnExit();
      Path files = Files.createDirectories(root.resolve("__files"));
      files.toFile().deleteOnExit();
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves the mock on {@code args[0]} (default {@value #DEFAULT_PORT}) until killed. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0].trim()) : DEFAULT_PORT;
    WireMockServer server = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "mock-openai-shutdown"));
    System.out.println("mock OpenAI upstream listening on " + baseUrl(server));
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
