package dev.warden.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI upstream in the test JVM that paces a Chat Completions stream the way real token
 * streams arrive: it sends its first event, then holds the rest until {@code release} is counted
 * down (at most {@code hold}), sending only SSE comments meanwhile so that Warden's idle timeout
 * does not end the stream. The IT server routes {@code paced-model} here (upstream {@code it-paced}
 * on the port of the system property {@code paced.port}, see the pom).
 */
final class PacedUpstream implements AutoCloseable {

  static final String MODEL = "paced-model";

  private static final String CHUNK =
      "data: {\"id\":\"chatcmpl-paced\",\"object\":\"chat.completion.chunk\",\"created\":1,"
          + "\"model\":\"paced-model\",\"choices\":[{\"index\":0,\"delta\":%s,"
          + "\"finish_reason\":%s}]}\n\n";

  private final HttpServer server;
  private final AtomicInteger streams = new AtomicInteger();

  private PacedUpstream(HttpServer server) {
    this.server = server;
  }

  static PacedUpstream start(CountDownLatch release, Duration hold) throws IOException {
    int port = Integer.parseInt(System.getProperty("paced.port", "9191"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    PacedUpstream upstream = new PacedUpstream(server);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          upstream.streams.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.getResponseHeaders().add("x-request-id", "req_paced");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            send(out, CHUNK.formatted("{\"role\":\"assistant\",\"content\":\"\"}", "null"));
            long until = System.nanoTime() + hold.toNanos();
            while (!release.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < until) {
              send(out, ": waiting\n\n");
            }
            send(out, CHUNK.formatted("{\"content\":\"Hello\"}", "null"));
            send(out, CHUNK.formatted("{\"content\":\" there\"}", "null"));
            send(out, CHUNK.formatted("{}", "\"stop\""));
            send(
                out,
                "data: {\"id\":\"chatcmpl-paced\",\"object\":\"chat.completion.chunk\","
                    + "\"created\":1,\"model\":\"paced-model\",\"choices\":[],\"usage\":"
                    + "{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n");
            send(out, "data: [DONE]\n\n");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
    return upstream;
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** How many streams this upstream has served. */
  int streams() {
    return streams.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
