package dev.warden.bench;

import static dev.warden.bench.GatewayBench.fmt;
import static dev.warden.bench.GatewayBench.log;
import static dev.warden.bench.GatewayBench.option;
import static dev.warden.bench.GatewayBench.percentile;
import static dev.warden.bench.GatewayBench.request;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Many streams at once: starts a mock upstream that paces its stream events (one at once, then one
 * every second: twenty events, nineteen seconds), and Warden ({@code mvn -Prun}, pointed at it, on
 * H2 or a fresh PostgreSQL database); after a warm-up, opens waves of concurrent streams, first
 * directly against the mock and then through Warden, and prints for each wave how many completed,
 * the time to the first event (p50 / p99, Warden's minus the direct one's), and, sampled from
 * {@code /proc} and Warden's base metrics while the wave runs, the Liberty JVM's threads, heap and
 * resident memory at their peak and its CPU time per stream. Then it stops everything it started.
 *
 * <p>Arguments: {@code h2|postgresql} (default h2); {@code java=<JAVA_HOME>} (the JDK Liberty runs
 * on; default: the one {@code mvn} finds); {@code waves=1000,2000} (concurrent streams per wave;
 * default 1000); {@code limit=N} ({@code warden.openai.max-connections} for the run, else the
 * default); {@code tenant-in-flight=N} (the in-flight limit of the bench caller's tenant, {@code
 * default}: the streams past it are refused at once and counted as such); {@code no-build}.
 * Loopback only; every wave is bounded in time. Run it with {@code src/test/bench/streams.sh}.
 */
public final class StreamsBench {

  private static final int MOCK_PORT = 9699;
  private static final String WARDEN = "http://127.0.0.1:9080/v1";
  private static final String DIRECT = "http://127.0.0.1:" + MOCK_PORT + "/v1";
  private static final int EVENTS = 20;
  private static final long GAP_MS = 1000;

  /** A wave opens its streams evenly over this many seconds (less than a stream lasts). */
  private static final int RAMP_SECONDS = 10;

  private static final String PACED =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"max_tokens\":16,\"messages\":[{\"role\":"
          + "\"user\",\"content\":\"Count to ten, slowly\"}]}";
  private static final String INSTANT = PACED.replace("slowly", "instantly");

  private StreamsBench() {}

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    String db = options.contains("postgresql") ? "postgresql" : "h2";
    String javaHome = option(options, "java", null);
    int[] waves =
        Arrays.stream(option(options, "waves", "1000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    String limit = option(options, "limit", null);
    String tenantLimit = option(options, "tenant-in-flight", null);
    List<String> mvnOptions = new ArrayList<>();
    if (javaHome != null) {
      mvnOptions.add("-Dliberty.env.JAVA_HOME=" + javaHome);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    if (limit != null) {
      settings.put("warden.openai.max-connections", limit);
    }
    if (tenantLimit != null) {
      // dev-user's tenant
      settings.put("warden.rate.tenant.default.in-flight", tenantLimit);
    }
    // each into the server's environment, under the name MicroProfile Config maps it to
    settings.forEach(
        (key, value) ->
            mvnOptions.add(
                "-Dliberty.env."
                    + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                    + "="
                    + value));
    Path root = Path.of("").toAbsolutePath();
    PacedMock mock = new PacedMock(MOCK_PORT);
    GatewayBench.Warden warden = new GatewayBench.Warden(root, db, mvnOptions);
    GatewayBench.Stopper stopAll =
        new GatewayBench.Stopper(
            "streams-bench-stop",
            () -> {
              warden.stop();
              mock.stop();
            });
    StringBuilder table = new StringBuilder();
    try {
      GatewayBench.prepare(warden, options);
      mock.start();
      log(
          "starting Warden on %s (mvn -Prun%s)",
          db, javaHome == null ? "" : ", Liberty on " + javaHome);
      warden.startAndAwaitReady();
      String java = GatewayBench.Proc.cmdline(warden.pid).split(" ")[0];
      log("Liberty JVM %d (%s) is ready; warming up", warden.pid, java);
      GatewayBench.Load.run(WARDEN, INSTANT, 16, 3000, Duration.ofSeconds(60));
      log("after the warm-up: %s", inUse());
      table.append(
          fmt(
              "Streams of %d events %d ms apart, each wave opened evenly over %d s; Warden on %s, Liberty on"
                  + " Java %s (%s), %s, %d cores\n\n",
              EVENTS,
              GAP_MS,
              RAMP_SECONDS,
              db,
              javaVersion(warden.pid),
              settings.isEmpty()
                  ? "default settings"
                  : settings.entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .collect(Collectors.joining(", ")),
              LocalDate.now(),
              Runtime.getRuntime().availableProcessors()));
      table.append(
          "| concurrent streams | completed direct / through Warden | first event p50 / p99:"
              + " direct | through Warden | added at p50 | Liberty threads at peak (before) |"
              + " heap used at peak | RSS at peak | Warden CPU per stream |\n");
      table.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
      for (int n : waves) {
        log("wave of %d streams, direct to the mock", n);
        Wave direct = Wave.run(DIRECT, n, null);
        log("  %s", direct);
        log("wave of %d streams through Warden", n);
        Wave through = Wave.run(WARDEN, n, warden);
        log("  %s", through);
        if (through.serverEnded) {
          log("  the Liberty JVM ended during the wave (see target/bench-gateway-%s.log)", db);
          table.append(
              fmt(
                  "| %,d | %,d / %,d | the Liberty JVM ended during the wave | | | | | | |\n",
                  n, direct.completed, through.completed));
          break;
        }
        log("  after the wave: %s", inUse());
        table.append(
            fmt(
                "| %,d | %,d / %,d%s | %.1f / %.1f ms | %.1f / %.1f ms | %+.1f ms | %d (%d) | %d MB |"
                    + " %d MB | %.2f ms |\n",
                n,
                direct.completed,
                through.completed,
                through.refused == 0 ? "" : fmt(" (%,d refused: 429)", through.refused),
                direct.firstP(50),
                direct.firstP(99),
                through.firstP(50),
                through.firstP(99),
                through.firstP(50) - direct.firstP(50),
                through.peakThreads,
                through.threadsBefore,
                through.peakHeapMb,
                through.peakRssMb,
                through.cpuMsPerStream));
        if (through.completed + through.refused < n / 2) {
          log("fewer than half the streams completed: no larger wave");
          break;
        }
      }
    } finally {
      stopAll.run();
    }
    System.out.println();
    System.out.println(table);
  }

  /** The body of Warden's answer to {@code GET path}. */
  private static String get(String path) throws IOException, InterruptedException {
    return GatewayBench.HTTP
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:9080" + path))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The upstream connections in use, as Warden's health check reports them. */
  private static String inUse() throws Exception {
    String health = get("/health");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"connections-in-use\"\\s*:\\s*(\\d+)").matcher(health);
    return m.find() ? "upstream connections in use " + m.group(1) : "health: " + health;
  }

  private static String javaVersion(long pid) {
    String out = jcmd(pid, "VM.version");
    for (String line : out.split("\n")) {
      if (line.startsWith("JDK ")) {
        return line.substring(4).trim();
      }
    }
    return "?";
  }

  /** A jcmd command's output, by the {@code jcmd} of the JDK that runs {@code pid}. */
  static String jcmd(long pid, String command) {
    Path java = Path.of(GatewayBench.Proc.cmdline(pid).split(" ")[0]);
    Path jcmd = java.resolveSibling("jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(20, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * Heap in use, in MB, from Warden's own base metrics ({@code memory_usedHeap_bytes}): a cheap
   * HTTP read, where starting a {@code jcmd} JVM four times a second would take a core itself.
   */
  static long heapUsedMb() {
    try {
      String metrics = get("/metrics?scope=base");
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(?m)^memory_usedHeap_bytes\\{[^}]*\\} (\\S+)$")
              .matcher(metrics);
      return m.find() ? (long) (Double.parseDouble(m.group(1)) / (1024 * 1024)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static int threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring(8).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * One wave: n streams opened evenly over {@link #RAMP_SECONDS}, so that all n are open together
   * for the last {@code (EVENTS - 1) * GAP_MS - RAMP_SECONDS} of it; each read to its end without
   * blocking a thread.
   */
  static final class Wave {
    int completed;
    int failed;
    int refused;
    boolean serverEnded;
    String firstFailure;
    long[] firstEventNanos;
    int threadsBefore;
    int peakThreads;
    long peakHeapMb;
    long peakRssMb;
    double cpuMsPerStream;

    static Wave run(String base, int n, GatewayBench.Warden warden) throws Exception {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      Wave wave = new Wave();
      long pid = warden == null ? -1 : warden.pid;
      long cpuBefore = pid > 0 ? GatewayBench.Proc.cpuTicks(pid) : 0;
      wave.threadsBefore = pid > 0 ? threads(pid) : 0;
      AtomicBoolean sampling = new AtomicBoolean(pid > 0);
      Thread sampler =
          new Thread(
              () -> {
                while (sampling.get()) {
                  wave.peakThreads = Math.max(wave.peakThreads, threads(pid));
                  wave.peakRssMb = Math.max(wave.peakRssMb, GatewayBench.Proc.rssKb(pid) / 1024);
                  wave.peakHeapMb = Math.max(wave.peakHeapMb, heapUsedMb());
                  GatewayBench.sleep(500);
                }
              },
              "streams-sampler");
      sampler.setDaemon(true);
      sampler.start();
      long[] first = new long[n];
      Arrays.fill(first, -1);
      AtomicInteger completed = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      AtomicReference<String> firstFailure = new AtomicReference<>();
      List<CompletableFuture<?>> all = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long due = start + i * (RAMP_SECONDS * 1_000_000_000L) / n;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        int index = i;
        long sent = System.nanoTime();
        EventCounter counter = new EventCounter(sent, t -> first[index] = t);
        all.add(
            client
                .sendAsync(
                    request(base, PACED), HttpResponse.BodyHandlers.fromLineSubscriber(counter))
                .handle(
                    (response, failure) -> {
                      String problem =
                          failure != null
                              ? failure.toString()
                              : response.statusCode() != 200
                                  ? "status " + response.statusCode() + " " + counter.firstLine
                                  : counter.done ? null : "no [DONE] after " + counter.events;
                      if (problem == null) {
                        completed.incrementAndGet();
                      } else if (response != null && response.statusCode() == 429) {
                        refused.incrementAndGet();
                      } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, problem);
                      }
                      return null;
                    }));
      }
      try {
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
            .get(EVENTS * GAP_MS + 120_000, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        log("  the wave did not end within its bound; counting what ended");
      }
      sampling.set(false);
      sampler.join();
      wave.serverEnded = pid > 0 && ProcessHandle.of(pid).isEmpty();
      if (pid > 0 && !wave.serverEnded) {
        wave.cpuMsPerStream =
            (GatewayBench.Proc.cpuTicks(pid) - cpuBefore) * 1000.0 / GatewayBench.Proc.CLK_TCK / n;
      }
      wave.completed = completed.get();
      wave.failed = failed.get();
      wave.refused = refused.get();
      wave.firstFailure = firstFailure.get();
      wave.firstEventNanos = Arrays.stream(first).filter(t -> t >= 0).sorted().toArray();
      return wave;
    }

    double firstP(double p) {
      return percentile(firstEventNanos, p) / 1e6;
    }

    @Override
    public String toString() {
      return fmt(
          "%d completed, %d refused (429), %d failed%s; first event p50 %.1f ms, p99 %.1f ms; threads %d -> %d,"
              + " heap %d MB, RSS %d MB, CPU %.2f ms per stream",
          completed,
          refused,
          failed,
          firstFailure == null ? "" : " (first: " + firstFailure + ")",
          firstP(50),
          firstP(99),
          threadsBefore,
          peakThreads,
          peakHeapMb,
          peakRssMb,
          cpuMsPerStream);
    }
  }

  /** Counts a stream's {@code data:} lines as they arrive; notes the first one's time. */
  static final class EventCounter implements Flow.Subscriber<String> {
    private final long sent;
    private final java.util.function.LongConsumer first;
    volatile int events;
    volatile boolean done;
    volatile String firstLine;

    EventCounter(long sent, java.util.function.LongConsumer first) {
      this.sent = sent;
      this.first = first;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (firstLine == null) {
        firstLine = line.length() > 300 ? line.substring(0, 300) : line;
      }
      if (line.startsWith("data:")) {
        if (events++ == 0) {
          first.accept(System.nanoTime() - sent);
        }
        if (line.contains("[DONE]")) {
          done = true;
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * An upstream that paces its stream events: the first at once, then one every {@link #GAP_MS} (or
   * all at once when the prompt says "instantly"). Its handlers return at once; a few scheduler
   * threads write the later events, so a thousand open streams cost it no thread each.
   */
  static final class PacedMock {
    private final int port;
    private HttpServer server;
    private ExecutorService handlers;
    private ScheduledExecutorService writers;

    PacedMock(int port) {
      this.port = port;
    }

    void start() throws IOException {
      System.setProperty("sun.net.httpserver.nodelay", "true");
      handlers = Executors.newFixedThreadPool(4, daemon("mock-handler"));
      writers = Executors.newScheduledThreadPool(4, daemon("mock-writer"));
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
      server.setExecutor(handlers);
      server.createContext("/v1/chat/completions", this::chat);
      server.start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
      return task -> {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
      };
    }

    void stop() {
      if (server != null) {
        server.stop(0);
        handlers.shutdownNow();
        writers.shutdownNow();
        server = null;
      }
    }

    private static byte[] event(int i) {
      String head =
          "{\"id\":\"chatcmpl-streams\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":";
      String data;
      if (i == 0) {
        data =
            head
                + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}]}";
      } else if (i < EVENTS - 2) {
        data =
            head + "[{\"index\":0,\"delta\":{\"content\":\"" + i + " \"},\"finish_reason\":null}]}";
      } else if (i == EVENTS - 2) {
        data =
            head
                + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{"
                + "\"prompt_tokens\":13,\"completion_tokens\":7,\"total_tokens\":20}}";
      } else {
        data = "[DONE]";
      }
      return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private void chat(HttpExchange exchange) throws IOException {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      if (body.contains("instantly")) {
        for (int i = 0; i < EVENTS; i++) {
          out.write(event(i));
        }
        out.close();
        return;
      }
      write(exchange, out, 0);
    }

    /** Writes event {@code i} now and schedules the next. */
    private void write(HttpExchange exchange, OutputStream out, int i) {
      try {
        out.write(event(i));
        out.flush();
        if (i == EVENTS - 1) {
          out.close();
          return;
        }
        writers.schedule(() -> write(exchange, out, i + 1), GAP_MS, TimeUnit.MILLISECONDS);
      } catch (IOException | RuntimeException e) {
        exchange.close();
      }
    }
  }

  static {
    Locale.setDefault(Locale.ROOT);
  }
}
