package dev.warden.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Streaming overhead of Warden against a local mock: time to first event, direct to the mock vs
 * through Warden's {@code /v1}, and per-chunk arrival times on a stream the mock sends in timed
 * pieces (does Warden forward each piece as it comes?). Needs Warden ({@code mvn -Prun}, mock
 * upstream) running; {@code src/test/bench/streaming-ttfb.sh} starts it when it is not.
 *
 * <p>Arguments: Warden base URL (default http://localhost:9080/v1), mock base URL (default
 * http://127.0.0.1:9089/v1), iterations (default 300), warm-up pairs (default 3000).
 */
public final class StreamingBench {

  /** The development API key of dev-user: the quick start enables the development registry. */
  private static final String DEV_KEY = "wk_devuserkey01_devsecret-devsecret-devsecret-01";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws Exception {
    String warden = args.length > 0 ? args[0] : "http://localhost:9080/v1";
    String mock = args.length > 1 ? args[1] : "http://127.0.0.1:9089/v1";
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
    String body =
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Measure the time to the first event\"}]}";

    // Liberty's JIT keeps compiling for a few thousand requests (C2 threads took 4 ms of CPU per
    // request after 1,500 of them): measure a warm server, as production would run
    for (int i = 0; i < warmup; i++) {
      ttfb(mock, body);
      ttfb(warden, body);
    }
    List<Double> direct = new ArrayList<>();
    List<Double> through = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      direct.add(ttfb(mock, body));
      through.add(ttfb(warden, body));
    }
    System.out.printf(
        "time to first event (ms, %d requests each, interleaved, after %d warm-up pairs)%n",
        iterations, warmup);
    print("direct to mock", direct);
    print("through Warden", through);
    System.out.printf(
        "Warden adds (p50): %.2f ms%n", percentile(through, 50) - percentile(direct, 50));

    // per-chunk: a stub on the mock sends the default answer in 20 pieces over 2 s
    String admin = mock.replaceFirst("/v1$", "") + "/__admin/mappings";
    String stub =
        "{\"priority\":1,\"request\":{\"method\":\"POST\",\"urlPath\":\"/v1/chat/completions\","
            + "\"bodyPatterns\":[{\"contains\":\"bench-dribble\"}]},"
            + "\"response\":{\"transformers\":[\"openai-mock\"],"
            + "\"chunkedDribbleDelay\":{\"numberOfChunks\":20,\"totalDuration\":2000}}}";
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(admin))
                .POST(HttpRequest.BodyPublishers.ofString(stub))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String id = created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    try {
      // a known model (Warden refuses unknown ones); the mock knows this stream by its text
      String slow = body.replace("Measure the time to the first event", "bench-dribble");
      List<Double> directChunks = arrivals(mock, slow);
      List<Double> wardenChunks = arrivals(warden, slow);
      System.out.printf(
          "stream sent by the mock in 20 timed pieces over 2 s (arrival of events, ms since the"
              + " request):%n");
      System.out.printf(
          "  %-26s first %7.1f   median %7.1f   last %7.1f   (%d events)%n",
          "direct to mock",
          directChunks.get(0),
          percentile(directChunks, 50),
          directChunks.get(directChunks.size() - 1),
          directChunks.size());
      System.out.printf(
          "  %-26s first %7.1f   median %7.1f   last %7.1f   (%d events)%n",
          "through Warden",
          wardenChunks.get(0),
          percentile(wardenChunks, 50),
          wardenChunks.get(wardenChunks.size() - 1),
          wardenChunks.size());
      System.out.println(
          "  (a gateway that batched would deliver its first event near the last one)");
    } finally {
      HTTP.send(
          HttpRequest.newBuilder(URI.create(admin + "/" + id)).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  /** Milliseconds from sending the request to the first complete event. */
  private static double ttfb(String base, String body) throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        HTTP.send(request(base, body), HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data: ")) {
          double ms = (System.nanoTime() - start) / 1e6;
          while (reader.readLine() != null) {
            // drain, so the connection can be reused
          }
          return ms;
        }
      }
    }
    throw new IllegalStateException("no event from " + base);
  }

  /** Arrival time (ms since the request) of every event of one stream. */
  private static List<Double> arrivals(String base, String body) throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        HTTP.send(request(base, body), HttpResponse.BodyHandlers.ofInputStream());
    List<Double> times = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data: ")) {
          times.add((System.nanoTime() - start) / 1e6);
        }
      }
    }
    return times;
  }

  private static HttpRequest request(String base, String body) {
    return HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + DEV_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static void print(String label, List<Double> values) {
    System.out.printf(
        "  %-26s p50 %7.2f   p90 %7.2f   p99 %7.2f   max %7.2f%n",
        label,
        percentile(values, 50),
        percentile(values, 90),
        percentile(values, 99),
        Collections.max(values));
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
