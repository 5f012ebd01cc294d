package dev.warden.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The gateway in one run: starts a mock upstream inside this program and Warden ({@code mvn -Prun},
 * pointed at that mock) on H2 or on a fresh PostgreSQL database, measures start-to-ready, the
 * throughput of the first 15 s, latency and throughput at 1 and 32 concurrent callers (through
 * Warden and directly against the mock, in the same run), the CPU time per request of Warden's JVM
 * and of PostgreSQL, Warden's resident memory and the time Warden adds to the first event of a
 * stream; then stops everything it started and prints one markdown table.
 *
 * <p>Arguments: {@code h2|postgresql} (default h2), then optionally {@code quick} (small counts,
 * for trying the program), {@code no-build} (never build the WAR first) and {@code profile} (record
 * the c=32 phase through Warden with JDK Flight Recorder, into {@code
 * target/bench/warden-<db>.jfr}, and print the methods most often on top of the stack). {@code
 * soak=N} measures something else instead: N calls at c=32 after the warm-up, in ten windows, with
 * the throughput, latency, database size and RSS of each, to show whether Warden slows as its
 * database grows. Run it with {@code src/test/bench/gateway.sh}.
 */
public final class GatewayBench {

  /** The development API key of dev-user: {@code mvn -Prun} enables the development registry. */
  private static final String DEV_KEY = "wk_devuserkey01_devsecret-devsecret-devsecret-01";

  private static final int MOCK_PORT = 9699;
  private static final String WARDEN = "http://127.0.0.1:9080/v1";
  private static final String DIRECT = "http://127.0.0.1:" + MOCK_PORT + "/v1";
  private static final String PG_DATABASE = "warden_bench";

  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"Say hello in one word\"}]}";
  private static final String STREAM_INSTANT =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"max_tokens\":16,\"messages\":[{\"role\":"
          + "\"user\",\"content\":\"Say hello in one word, instantly\"}]}";
  private static final String STREAM_PACED = STREAM_INSTANT.replace("instantly", "paced");

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private GatewayBench() {}

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    String db = options.contains("postgresql") ? "postgresql" : "h2";
    Counts counts = options.contains("quick") ? Counts.QUICK : Counts.FULL;
    Path root = Path.of("").toAbsolutePath();

    Report report = new Report(db, counts);
    Profiler profiler =
        options.contains("profile")
            ? new Profiler(root.resolve("target/bench/warden-" + db + ".jfr"))
            : null;
    MockUpstream mock = new MockUpstream(MOCK_PORT);
    Warden warden = new Warden(root, db);
    Stopper stopAll =
        new Stopper(
            "gateway-bench-stop",
            () -> {
              warden.stop();
              mock.stop();
            });
    String soak = option(options, "soak", null);
    StringBuilder soakTable = new StringBuilder();
    try {
      prepare(warden, options);
      mock.start();
      if (soak != null) {
        soak(warden, Integer.parseInt(soak), counts, soakTable);
      } else {
        measure(warden, report, counts, profiler);
      }
    } finally {
      stopAll.run();
    }
    if (soak != null) {
      System.out.println();
      System.out.println(soakTable);
      return;
    }
    report.print();
    if (profiler != null) {
      profiler.printTop(25);
    }
  }

  /**
   * {@code total} calls at c=32 after a warm-up, in ten windows: per window its throughput, p50 and
   * p99, the database's size after it and the Liberty JVM's RSS. Each window is bounded in time
   * (ten minutes).
   */
  private static void soak(Warden warden, int total, Counts n, StringBuilder table)
      throws Exception {
    log("starting Warden on %s (mvn -Prun, upstream %s)", warden.db, DIRECT);
    warden.startAndAwaitReady();
    log("warm-up through Warden: %s", Load.run(WARDEN, CHAT, 32, n.warmupRequests, n.warmupTime));
    int window = Math.max(1, total / 10);
    table.append(
        fmt(
            "%,d calls at c=32 on %s after a warm-up of %,d, in windows of %,d; %s, %d cores\n\n",
            total,
            warden.db,
            n.warmupRequests,
            window,
            java.time.LocalDate.now(),
            Runtime.getRuntime().availableProcessors()));
    table.append("| calls so far | req/s | p50 | p99 | errors | database size | Liberty RSS |\n");
    table.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    int done = 0;
    while (done < total) {
      Load load = Load.run(WARDEN, CHAT, 32, window, Duration.ofMinutes(10));
      done += load.count;
      long dbMb = warden.databaseBytes() / (1024 * 1024);
      long rssMb = Proc.rssKb(warden.pid) / 1024;
      log("  %,d calls: %s; database %d MB, RSS %d MB", done, load, dbMb, rssMb);
      table.append(
          fmt(
              "| %,d | %.0f | %.2f ms | %.2f ms | %d | %,d MB | %,d MB |\n",
              done,
              load.rps(),
              load.percentileMs(50),
              load.percentileMs(99),
              load.errors,
              dbMb,
              rssMb));
      if (load.count == 0) {
        break;
      }
    }
  }

  private static void measure(Warden warden, Report r, Counts n, Profiler profiler)
      throws Exception {
    log("starting Warden on %s (mvn -Prun, upstream %s)", r.db, DIRECT);
    r.startToReadyMs = warden.startAndAwaitReady();
    r.jvmToReadyMs = warden.jvmAgeMs();
    log(
        "ready after %.1f s (Liberty JVM %.1f s), pid %d",
        r.startToReadyMs / 1e3, r.jvmToReadyMs / 1e3, warden.pid);

    r.first15 = Load.run(WARDEN, CHAT, 32, Integer.MAX_VALUE, Duration.ofSeconds(15));
    log("first 15 s: %s", r.first15);

    Load warm = Load.run(WARDEN, CHAT, 32, n.warmupRequests, n.warmupTime);
    log("warm-up through Warden: %s", warm);
    log("warm-up direct: %s", Load.run(DIRECT, CHAT, 32, n.warmupRequests, n.warmupTime));
    for (int i = 0; i < n.streamWarmup; i++) {
      Stream.firstEventMs(DIRECT, STREAM_INSTANT);
      Stream.firstEventMs(WARDEN, STREAM_INSTANT);
    }

    r.direct1 = Load.run(DIRECT, CHAT, 1, n.c1Requests, Duration.ofSeconds(120));
    Cpu cpu = Cpu.start(warden.pid);
    r.warden1 = Load.run(WARDEN, CHAT, 1, n.c1Requests, Duration.ofSeconds(120));
    cpu.stop(r.warden1.count);
    r.cpu1 = cpu;
    log("c=1: direct %s; Warden %s", r.direct1, r.warden1);

    r.direct32 = Load.run(DIRECT, CHAT, 32, Integer.MAX_VALUE, n.c32Time);
    if (profiler != null) {
      profiler.start(warden.pid);
    }
    cpu = Cpu.start(warden.pid);
    r.warden32 = Load.run(WARDEN, CHAT, 32, Integer.MAX_VALUE, n.c32Time);
    cpu.stop(r.warden32.count);
    if (profiler != null) {
      profiler.stop(warden.pid);
    }
    r.cpu32 = cpu;
    r.rssMb = Proc.rssKb(warden.pid) / 1024.0;
    log("c=32: direct %s; Warden %s", r.direct32, r.warden32);

    r.instant = Stream.compare(STREAM_INSTANT, n.streamInstant);
    r.paced = Stream.compare(STREAM_PACED, n.streamPaced);
    log("stream first event: instant %s; paced %s", r.instant, r.paced);
  }

  /**
   * JDK Flight Recorder on Warden's JVM ({@code jcmd}, the {@code profile} settings: a CPU sample
   * every 10 ms per running thread), and what it sampled: the methods most often on top of the
   * stack, and the packages they belong to.
   */
  static final class Profiler {
    private final Path file;

    Profiler(Path file) {
      this.file = file;
    }

    void start(long pid) throws IOException, InterruptedException {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      run(
          List.of(
              "jcmd",
              Long.toString(pid),
              "JFR.start",
              "name=bench",
              "settings=profile",
              "filename=" + file));
    }

    void stop(long pid) throws IOException, InterruptedException {
      run(List.of("jcmd", Long.toString(pid), "JFR.stop", "name=bench"));
    }

    /** Prints the {@code n} methods most often on top of a sampled stack, and the top packages. */
    void printTop(int n) throws IOException, InterruptedException {
      Process p =
          new ProcessBuilder(
                  "jfr",
                  "print",
                  "--events",
                  "jdk.ExecutionSample",
                  "--stack-depth",
                  "1",
                  "" + file)
              .redirectErrorStream(true)
              .start();
      Map<String, Integer> methods = new HashMap<>();
      Map<String, Integer> packages = new HashMap<>();
      int samples = 0;
      try (var lines =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        boolean inStack = false;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          String t = line.trim();
          if (t.startsWith("stackTrace = [")) {
            inStack = true;
            continue;
          }
          if (inStack) {
            inStack = false;
            String method = t.replaceAll("\\s+line:.*$", "");
            samples++;
            methods.merge(method, 1, Integer::sum);
            packages.merge(packageOf(method), 1, Integer::sum);
          }
        }
      }
      p.waitFor(5, TimeUnit.MINUTES);
      System.out.printf(Locale.ROOT, "%n### Top of stack, c=32 through Warden (%s)%n%n", file);
      System.out.printf(
          Locale.ROOT, "%d CPU samples%n%n| share | method |%n| --- | --- |%n", samples);
      print(methods, samples, n);
      System.out.printf(Locale.ROOT, "%n| share | package |%n| --- | --- |%n");
      print(packages, samples, 15);
    }

    private static String packageOf(String method) {
      String type = method.contains("(") ? method.substring(0, method.indexOf('(')) : method;
      String[] parts = type.split("\\.");
      int keep = Math.min(3, Math.max(1, parts.length - 2));
      return String.join(".", Arrays.copyOf(parts, keep));
    }

    private static void print(Map<String, Integer> counts, int samples, int n) {
      counts.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .limit(n)
          .forEach(
              e ->
                  System.out.printf(
                      Locale.ROOT,
                      "| %.1f %% | `%s` |%n",
                      100.0 * e.getValue() / Math.max(1, samples),
                      e.getKey()));
    }
  }

  /** How much each phase does: bounded in requests and in time. */
  private record Counts(
      int warmupRequests,
      Duration warmupTime,
      int c1Requests,
      Duration c32Time,
      int streamWarmup,
      int streamInstant,
      int streamPaced) {
    static final Counts FULL =
        new Counts(20_000, Duration.ofSeconds(60), 2_000, Duration.ofSeconds(20), 200, 200, 30);
    static final Counts QUICK =
        new Counts(2_000, Duration.ofSeconds(10), 200, Duration.ofSeconds(5), 20, 30, 5);
  }

  // ---------------------------------------------------------------------------------------------

  /** The upstream: answers chat completions from prepared bytes, on 127.0.0.1. */
  static final class MockUpstream {
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final byte[] COMPLETION =
        ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":\"Hello!\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":13,\"completion_tokens\":2,\"total_tokens\":15}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] MODELS =
        "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"bench\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final List<byte[]> EVENTS = events();

    private final int port;
    private HttpServer server;
    private ExecutorService pool;

    MockUpstream(int port) {
      this.port = port;
    }

    private static List<byte[]> events() {
      String head =
          "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":";
      List<String> data =
          List.of(
              head
                  + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                  + "\"finish_reason\":null}]}",
              head + "[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}",
              head + "[{\"index\":0,\"delta\":{\"content\":\"lo!\"},\"finish_reason\":null}]}",
              head + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
              head
                  + "[],\"usage\":{\"prompt_tokens\":13,\"completion_tokens\":2,"
                  + "\"total_tokens\":15}}",
              "[DONE]");
      List<byte[]> events = new ArrayList<>();
      for (String d : data) {
        events.add(("data: " + d + "\n\n").getBytes(StandardCharsets.UTF_8));
      }
      return events;
    }

    void start() throws IOException {
      // the JDK server leaves Nagle's algorithm on unless told: stream events would wait for ACKs
      System.setProperty("sun.net.httpserver.nodelay", "true");
      pool =
          Executors.newFixedThreadPool(
              8,
              task -> {
                Thread t = new Thread(task, "mock-upstream");
                t.setDaemon(true);
                return t;
              });
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
      server.setExecutor(pool);
      server.createContext("/v1/chat/completions", this::chat);
      server.createContext(
          "/v1/models", exchange -> send(exchange, 200, "application/json", MODELS));
      server.start();
    }

    void stop() {
      if (server != null) {
        server.stop(0);
        pool.shutdownNow();
        server = null;
      }
    }

    private void chat(HttpExchange exchange) throws IOException {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      } else if (!STREAM.matcher(body).find()) {
        send(exchange, 200, "application/json", COMPLETION);
      } else {
        boolean paced = body.contains("paced");
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          for (int i = 0; i < EVENTS.size(); i++) {
            if (paced && i > 0) {
              out.flush();
              sleep(100);
            }
            out.write(EVENTS.get(i));
          }
        }
      }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
        throws IOException {
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Warden as {@code mvn -Prun} starts it, in this worktree's target/liberty. */
  static final class Warden {
    private final Path root;
    final String db;
    private final List<String> options;
    private Process mvn;
    long pid = -1;

    Warden(Path root, String db) {
      this(root, db, List.of());
    }

    /** {@code options}: more {@code -D} options for {@code mvn -Prun}. */
    Warden(Path root, String db, List<String> options) {
      this.root = root;
      this.db = db;
      this.options = options;
    }

    void buildIfMissing() throws Exception {
      if (!Files.exists(root.resolve("target/warden.war"))) {
        log("building the WAR (mvn package) ...");
        run(List.of("mvn", "-q", "-B", "package", "-DskipTests", "-DskipITs"));
      }
    }

    /** The embedded database's file (H2 adds {@code .mv.db} and {@code .trace.db}). */
    private Path h2File(String suffix) {
      return root.resolve("target/liberty/wlp/usr/servers/warden/data/warden" + suffix);
    }

    /** The size of the database: H2's file, or PostgreSQL's {@code pg_database_size}. */
    long databaseBytes() throws IOException, InterruptedException {
      if (db.equals("h2")) {
        Path file = h2File(".mv.db");
        return Files.exists(file) ? Files.size(file) : 0;
      }
      Process p =
          new ProcessBuilder(psql("-tAc", "select pg_database_size('" + PG_DATABASE + "')"))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      try {
        return Long.parseLong(out);
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    /** Launches {@code mvn -Prun} and answers the milliseconds until /health/ready says 200. */
    long startAndAwaitReady() throws Exception {
      if (db.equals("h2")) {
        // a fresh embedded database, as PostgreSQL gets one
        Files.deleteIfExists(h2File(".mv.db"));
        Files.deleteIfExists(h2File(".trace.db"));
      }
      Path logFile = root.resolve("target/bench-gateway-" + db + ".log");
      Files.createDirectories(logFile.getParent());
      List<String> command =
          new ArrayList<>(
              List.of(
                  "mvn",
                  "-q",
                  "-B",
                  "-Prun",
                  "-Dmock.skip=true",
                  "-Dwarden.run.base-url=" + DIRECT,
                  "-Dwarden.run.api-key=mock-upstream-key",
                  "-Dserver.db.name=" + PG_DATABASE));
      command.addAll(options);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile());
      pb.environment().remove("OPENAI_API_KEY");
      pb.environment().remove("WARDEN_DB");
      if (db.equals("postgresql")) {
        pb.environment().put("WARDEN_DB", "postgresql");
      }
      long start = System.nanoTime();
      mvn = pb.start();
      long deadline = start + TimeUnit.MINUTES.toNanos(5);
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:9080/health/ready"))
              .timeout(Duration.ofSeconds(2))
              .build();
      while (System.nanoTime() < deadline) {
        if (!mvn.isAlive()) {
          throw new IllegalStateException("mvn -Prun ended early; see " + logFile);
        }
        try {
          if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            pid = findLibertyPid();
            return ms;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        sleep(100);
      }
      throw new IllegalStateException("Warden not ready within 5 minutes; see " + logFile);
    }

    /** The Liberty JVM of this worktree: ws-server.jar under its target/liberty. */
    private long findLibertyPid() {
      String jar = root.resolve("target/liberty/wlp/bin/tools/ws-server.jar").toString();
      try (var dirs = Files.list(Path.of("/proc"))) {
        return dirs.map(p -> p.getFileName().toString())
            .filter(name -> name.chars().allMatch(Character::isDigit))
            .filter(name -> Proc.cmdline(Long.parseLong(name)).contains(jar))
            .mapToLong(Long::parseLong)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no Liberty JVM running " + jar));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** How long the Liberty JVM has been running (at readiness: its own start-to-ready). */
    double jvmAgeMs() {
      return Proc.ageMs(pid);
    }

    void stop() {
      if (mvn == null) {
        return;
      }
      log("stopping Warden ...");
      try {
        run(List.of(root.resolve("target/liberty/wlp/bin/server").toString(), "stop", "warden"));
      } catch (Exception e) {
        log("server stop: %s", e.getMessage());
      }
      mvn.descendants().forEach(ProcessHandle::destroy);
      mvn.destroy();
      try {
        if (!mvn.waitFor(20, TimeUnit.SECONDS)) {
          mvn.descendants().forEach(ProcessHandle::destroyForcibly);
          mvn.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (pid > 0) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      mvn = null;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** A closed loop of N platform threads, each sending synchronously, bounded in count and time. */
  static final class Load {
    int count;
    int errors;
    double seconds;
    long[] sortedNanos;

    static Load run(String base, String body, int threads, int maxRequests, Duration maxTime)
        throws InterruptedException {
      int cap = Math.min(maxRequests, 2_000_000);
      long[] nanos = new long[cap];
      AtomicInteger next = new AtomicInteger();
      AtomicInteger errors = new AtomicInteger();
      AtomicReference<String> firstError = new AtomicReference<>();
      HttpRequest request = request(base, body);
      long start = System.nanoTime();
      long deadline = start + maxTime.toNanos();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker =
            new Thread(
                () -> {
                  while (System.nanoTime() < deadline) {
                    int i = next.getAndIncrement();
                    if (i >= cap) {
                      return;
                    }
                    long t0 = System.nanoTime();
                    try {
                      HttpResponse<byte[]> response =
                          HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
                      if (response.statusCode() != 200) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, "status " + response.statusCode());
                      }
                    } catch (IOException e) {
                      errors.incrementAndGet();
                      firstError.compareAndSet(null, e.toString());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    nanos[i] = System.nanoTime() - t0;
                  }
                },
                "load-" + t);
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
      Load load = new Load();
      load.seconds = (System.nanoTime() - start) / 1e9;
      load.count = Math.min(next.get(), cap);
      load.errors = errors.get();
      load.sortedNanos = Arrays.copyOf(nanos, load.count);
      Arrays.sort(load.sortedNanos);
      if (load.errors > 0) {
        log(
            "  %d of %d requests to %s failed, the first with %s",
            load.errors, load.count, base, firstError.get());
      }
      return load;
    }

    double rps() {
      return count / seconds;
    }

    double percentileMs(double p) {
      return percentile(sortedNanos, p) / 1e6;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d requests in %.1f s, %.0f req/s, p50 %.2f ms, p99 %.2f ms%s",
          count,
          seconds,
          rps(),
          percentileMs(50),
          percentileMs(99),
          errors > 0 ? ", " + errors + " errors" : "");
    }
  }

  /** Time to the first {@code data:} line of a stream, direct and through Warden, interleaved. */
  static final class Stream {
    double directP50;
    double wardenP50;

    static Stream compare(String body, int pairs) throws Exception {
      long[] direct = new long[pairs];
      long[] warden = new long[pairs];
      for (int i = 0; i < pairs; i++) {
        direct[i] = firstEventNanos(DIRECT, body);
        warden[i] = firstEventNanos(WARDEN, body);
      }
      Arrays.sort(direct);
      Arrays.sort(warden);
      Stream s = new Stream();
      s.directP50 = percentile(direct, 50) / 1e6;
      s.wardenP50 = percentile(warden, 50) / 1e6;
      return s;
    }

    static double firstEventMs(String base, String body) throws Exception {
      return firstEventNanos(base, body) / 1e6;
    }

    private static long firstEventNanos(String base, String body) throws Exception {
      long start = System.nanoTime();
      HttpResponse<InputStream> response =
          HTTP.send(request(base, body), HttpResponse.BodyHandlers.ofInputStream());
      long first = -1;
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (first < 0 && line.startsWith("data:")) {
            first = System.nanoTime() - start;
          }
          // read on to the end, so the connection can be reused
        }
      }
      if (response.statusCode() != 200 || first < 0) {
        throw new IllegalStateException(
            "no event from " + base + " (status " + response.statusCode() + ")");
      }
      return first;
    }

    double addedMs() {
      return wardenP50 - directP50;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "direct p50 %.2f ms, Warden p50 %.2f ms", directP50, wardenP50);
    }
  }

  /** CPU time of Warden's JVM and of every postgres process over a window. */
  static final class Cpu {
    private final long pid;
    private long wardenTicks;
    private Map<Long, Long> postgresTicks;
    double wardenMsPerRequest;
    double postgresMsPerRequest;

    private Cpu(long pid) {
      this.pid = pid;
    }

    static Cpu start(long pid) {
      Cpu cpu = new Cpu(pid);
      cpu.wardenTicks = Proc.cpuTicks(cpu.pid);
      cpu.postgresTicks = Proc.postgresTicks();
      return cpu;
    }

    void stop(int requests) {
      double msPerTick = 1000.0 / Proc.CLK_TCK;
      wardenMsPerRequest = (Proc.cpuTicks(pid) - wardenTicks) * msPerTick / requests;
      long pg = 0;
      for (Map.Entry<Long, Long> e : Proc.postgresTicks().entrySet()) {
        pg += e.getValue() - postgresTicks.getOrDefault(e.getKey(), 0L);
      }
      postgresMsPerRequest = pg * msPerTick / requests;
    }
  }

  /** What /proc says about a process. */
  static final class Proc {
    static final long CLK_TCK = clockTicks();

    private static long clockTicks() {
      try {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return Long.parseLong(out.trim());
      } catch (IOException | RuntimeException e) {
        return 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 100;
      }
    }

    /** The fields of /proc/pid/stat after the command name; field 3 (state) is index 0. */
    private static String[] stat(long pid) {
      try {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
      } catch (IOException e) {
        return null;
      }
    }

    /** utime + stime, in clock ticks (0 when the process is gone). */
    static long cpuTicks(long pid) {
      String[] f = stat(pid);
      return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static double ageMs(long pid) {
      String[] f = stat(pid);
      try {
        double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        return (uptime - Long.parseLong(f[19]) / (double) CLK_TCK) * 1000;
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
    }

    static long rssKb(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("\\D", ""));
          }
        }
      } catch (IOException e) {
        // gone
      }
      return 0;
    }

    static double memTotalGb() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
          if (line.startsWith("MemTotal:")) {
            return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
          }
        }
      } catch (IOException e) {
        // not Linux
      }
      return Double.NaN;
    }

    static String cmdline(long pid) {
      try {
        return new String(
                Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
            .replace('\0', ' ');
      } catch (IOException e) {
        return "";
      }
    }

    /** utime + stime of every process named postgres. */
    static Map<Long, Long> postgresTicks() {
      Map<Long, Long> ticks = new HashMap<>();
      try (var dirs = Files.list(Path.of("/proc"))) {
        dirs.map(p -> p.getFileName().toString())
            .filter(name -> name.chars().allMatch(Character::isDigit))
            .forEach(
                name -> {
                  long pid = Long.parseLong(name);
                  try {
                    if (Files.readString(Path.of("/proc/" + name + "/comm"))
                        .trim()
                        .equals("postgres")) {
                      ticks.put(pid, cpuTicks(pid));
                    }
                  } catch (IOException gone) {
                    // ended meanwhile
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ticks;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The figures of one database, printed as one markdown table. */
  static final class Report {
    final String db;
    final Counts counts;
    long startToReadyMs;
    double jvmToReadyMs;
    Load first15;
    Load direct1;
    Load warden1;
    Load direct32;
    Load warden32;
    Cpu cpu1;
    Cpu cpu32;
    double rssMb;
    Stream instant;
    Stream paced;

    Report(String db, Counts counts) {
      this.db = db;
      this.counts = counts;
    }

    void print() {
      StringBuilder t = new StringBuilder();
      t.append(
          String.format(
              Locale.ROOT, "%n### Warden on %s%n%n", db.equals("h2") ? "H2" : "PostgreSQL"));
      t.append(
          String.format(
              Locale.ROOT,
              "%d cores, %.1f GB memory, Java %s (%s), %s%n%n",
              Runtime.getRuntime().availableProcessors(),
              Proc.memTotalGb(),
              System.getProperty("java.version"),
              System.getProperty("java.vendor"),
              Instant.now().truncatedTo(ChronoUnit.MINUTES)));
      t.append("| | direct to the mock | through Warden | Warden / direct |\n");
      t.append("| --- | --- | --- | --- |\n");
      row(
          t,
          "start to ready (mvn -Prun launch / Liberty JVM)",
          "",
          fmt("%.1f s / %.1f s", startToReadyMs / 1e3, jvmToReadyMs / 1e3),
          "");
      row(t, "first 15 s after ready, c=32", "", fmt("%.0f req/s", first15.rps()), "");
      loadRows(t, "c=1", direct1, warden1, fmt("%,d requests", direct1.count));
      loadRows(t, "c=32", direct32, warden32, fmt("%.0f s", warden32.seconds));
      row(
          t,
          "Warden JVM CPU per request, c=1 / c=32",
          "",
          fmt("%.2f / %.2f ms", cpu1.wardenMsPerRequest, cpu32.wardenMsPerRequest),
          "");
      if (db.equals("postgresql")) {
        row(
            t,
            "PostgreSQL CPU per request (all postgres processes), c=1 / c=32",
            "",
            fmt("%.2f / %.2f ms", cpu1.postgresMsPerRequest, cpu32.postgresMsPerRequest),
            "");
      }
      row(t, "Warden JVM RSS after c=32", "", fmt("%.0f MB", rssMb), "");
      streamRow(
          t, "stream, time to first event p50, all events at once", instant, counts.streamInstant);
      streamRow(
          t, "stream, time to first event p50, events 100 ms apart", paced, counts.streamPaced);
      System.out.print(t);
      System.out.flush();
    }

    private static void loadRows(StringBuilder t, String c, Load direct, Load warden, String n) {
      row(
          t,
          c + " req/s (" + n + ")",
          fmt("%.0f", direct.rps()),
          fmt("%.0f", warden.rps()),
          fmt("%.2f", warden.rps() / direct.rps()));
      row(
          t,
          c + " p50 latency",
          fmt("%.2f ms", direct.percentileMs(50)),
          fmt("%.2f ms", warden.percentileMs(50)),
          fmt("%.1f", warden.percentileMs(50) / direct.percentileMs(50)));
      row(
          t,
          c + " p99 latency",
          fmt("%.2f ms", direct.percentileMs(99)),
          fmt("%.2f ms", warden.percentileMs(99)),
          fmt("%.1f", warden.percentileMs(99) / direct.percentileMs(99)));
      if (direct.errors + warden.errors > 0) {
        row(t, c + " failed requests", "" + direct.errors, "" + warden.errors, "");
      }
    }

    private static void streamRow(StringBuilder t, String label, Stream s, int n) {
      row(
          t,
          label + " (" + n + " each)",
          fmt("%.2f ms", s.directP50),
          fmt("%.2f ms (+%.2f ms)", s.wardenP50, s.addedMs()),
          "");
    }

    private static void row(StringBuilder t, String a, String b, String c, String d) {
      t.append("| ")
          .append(a)
          .append(" | ")
          .append(b)
          .append(" | ")
          .append(c)
          .append(" | ")
          .append(d)
          .append(" |\n");
    }
  }

  // ---------------------------------------------------------------------------------------------

  static HttpRequest request(String base, String body) {
    return HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + DEV_KEY)
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  static boolean isListening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Before Warden starts: nothing may listen on its port; the WAR is built unless {@code no-build}
   * says not to; on PostgreSQL its database is dropped and created afresh.
   */
  static void prepare(Warden warden, List<String> options) throws Exception {
    if (isListening(9080)) {
      throw new IllegalStateException("something already listens on 9080: stop it first");
    }
    if (!options.contains("no-build")) {
      warden.buildIfMissing();
    }
    if (warden.db.equals("postgresql")) {
      freshDatabase();
    }
  }

  /** Drops and creates the PostgreSQL database of {@code mvn -Prun}'s server for a bench. */
  static void freshDatabase() throws IOException, InterruptedException {
    run(
        psql(
            "-qc",
            "drop database if exists " + PG_DATABASE,
            "-c",
            "create database " + PG_DATABASE));
  }

  /** {@code psql} on the loopback PostgreSQL as {@code postgres}, with {@code args}. */
  static List<String> psql(String... args) {
    List<String> command = new ArrayList<>(List.of("psql", "-h", "127.0.0.1", "-U", "postgres"));
    command.addAll(List.of(args));
    return command;
  }

  /** The value of {@code name=value} among {@code options}, else {@code fallback}. */
  static String option(List<String> options, String name, String fallback) {
    return options.stream()
        .filter(o -> o.startsWith(name + "="))
        .map(o -> o.substring(name.length() + 1))
        .findFirst()
        .orElse(fallback);
  }

  /**
   * Runs {@code stop} once: when asked, or at the JVM's exit (Ctrl-C); {@link Stopper#run()} then
   * forgets the exit hook.
   */
  static final class Stopper implements Runnable {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Runnable stop;
    private final Thread hook;

    Stopper(String name, Runnable stop) {
      this.stop = stop;
      this.hook = new Thread(this::stopOnce, name);
      Runtime.getRuntime().addShutdownHook(hook);
    }

    private void stopOnce() {
      if (stopped.compareAndSet(false, true)) {
        stop.run();
      }
    }

    @Override
    public void run() {
      stopOnce();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
    }
  }

  /** Runs a command to its end, its output to ours; fails on a non-zero exit. */
  static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " failed");
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    System.out.flush();
  }
}
