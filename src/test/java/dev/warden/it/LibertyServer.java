package dev.warden.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Liberty server of a test's own, beside the one Arquillian runs: a directory under the build's
 * Liberty install ({@code wlp.home}) with its own name, ports, JVM options, environment and
 * application, and the libraries (Hibernate, the JDBC drivers) of the integration-test server. It
 * is configured either like the integration-test server (its {@code server.xml} and database files
 * copied from there, Warden's WAR at {@code /}) or by an application's own {@code server.xml}
 * ({@link #withServerXml}). It is started and stopped with Liberty's {@code server} script; {@link
 * #kill} ends the server JVM with SIGKILL.
 */
final class LibertyServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

  private final Path wlp;
  private final String name;
  private final Path dir;
  private final Path pidFile;
  private final Path scriptLog;
  private final int httpPort;

  /**
   * Creates {@code name} afresh (an older directory of that name is deleted) from the
   * integration-test server {@code template}.
   *
   * @param bootstrap bootstrap properties (ports, database)
   * @param jvmOptions the server JVM's options, one per line
   * @param env environment variables of the server (its {@code server.env})
   * @param war the application, deployed at context root {@code /}
   */
  LibertyServer(
      Path wlp,
      String template,
      String name,
      int httpPort,
      Map<String, String> bootstrap,
      List<String> jvmOptions,
      Map<String, String> env,
      Path war)
      throws IOException {
    this(wlp, template, name, httpPort, bootstrap, jvmOptions, env);
    Path from = wlp.resolve("usr/servers").resolve(template);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".xml")).toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    Files.copy(war, dir.resolve("apps/warden.war"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(
        dir.resolve("configDropins/overrides/application.xml"),
        "<server>\n  <webApplication location=\"warden.war\" contextRoot=\"/\"/>\n</server>\n",
        StandardCharsets.UTF_8);
  }

  /**
   * Creates {@code name} afresh with an application's own {@code serverXml} (which deploys {@code
   * app} from {@code apps/} itself) and the libraries of the integration-test server {@code
   * template}.
   */
  static LibertyServer withServerXml(
      Path wlp,
      String template,
      String name,
      int httpPort,
      String serverXml,
      Map<String, String> bootstrap,
      List<String> jvmOptions,
      Map<String, String> env,
      Path app)
      throws IOException {
    LibertyServer server =
        new LibertyServer(wlp, template, name, httpPort, bootstrap, jvmOptions, env);
    Files.writeString(server.dir.resolve("server.xml"), serverXml, StandardCharsets.UTF_8);
    Files.copy(
        app,
        server.dir.resolve("apps").resolve(app.getFileName()),
        StandardCopyOption.REPLACE_EXISTING);
    return server;
  }

  /**
   * Creates {@code name} afresh with its own {@code serverXml} and no application (a server made of
   * Liberty features alone), with the libraries of the integration-test server {@code template}.
   */
  static LibertyServer withFeaturesOnly(
      Path wlp,
      String template,
      String name,
      int httpPort,
      String serverXml,
      Map<String, String> bootstrap,
      List<String> jvmOptions)
      throws IOException {
    LibertyServer server =
        new LibertyServer(wlp, template, name, httpPort, bootstrap, jvmOptions, Map.of());
    Files.writeString(server.dir.resolve("server.xml"), serverXml, StandardCharsets.UTF_8);
    return server;
  }

  private LibertyServer(
      Path wlp,
      String template,
      String name,
      int httpPort,
      Map<String, String> bootstrap,
      List<String> jvmOptions,
      Map<String, String> env)
      throws IOException {
    this.wlp = wlp;
    this.name = name;
    this.httpPort = httpPort;
    this.dir = wlp.resolve("usr/servers").resolve(name);
    this.pidFile = wlp.resolve("usr/servers/.pid").resolve(name + ".pid");
    this.scriptLog = wlp.resolve("usr/servers").resolve(name + "-script.log");
    Path from = wlp.resolve("usr/servers").resolve(template);
    if (!Files.isRegularFile(from.resolve("server.xml"))) {
      throw new IllegalStateException("no server " + template + " under " + wlp + " to copy");
    }
    deleteTree(dir);
    Files.createDirectories(dir.resolve("apps"));
    Files.createDirectories(dir.resolve("configDropins/overrides"));
    copyTree(from.resolve("lib"), dir.resolve("lib"));
    StringBuilder props = new StringBuilder();
    bootstrap.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
    props.append("http.port=").append(httpPort).append('\n');
    Files.writeString(dir.resolve("bootstrap.properties"), props, StandardCharsets.UTF_8);
    Files.write(dir.resolve("jvm.options"), jvmOptions, StandardCharsets.UTF_8);
    // the template's server.env holds the generated keystore password; keep it
    StringBuilder serverEnv = new StringBuilder();
    Path templateEnv = from.resolve("server.env");
    if (Files.isRegularFile(templateEnv)) {
      // but not its database: liberty/server.xml includes db-${env.WARDEN_DB_KIND}.xml, which
      // this server's db.kind names
      Files.readAllLines(templateEnv, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.startsWith("WARDEN_DB_KIND="))
          .forEach(l -> serverEnv.append(l).append('\n'));
    }
    if (bootstrap.containsKey("db.kind")) {
      serverEnv.append("WARDEN_DB_KIND=").append(bootstrap.get("db.kind")).append('\n');
    }
    env.forEach((k, v) -> serverEnv.append(k).append('=').append(v).append('\n'));
    Files.writeString(dir.resolve("server.env"), serverEnv, StandardCharsets.UTF_8);
  }

  /**
   * The JVM options of a test's own Warden server: a small heap that ends the JVM when exhausted,
   * C1 only (a start took 20 s of CPU instead of 41 s), Warden's upstream on the build's mock, then
   * {@code more}.
   */
  static List<String> wardenJvmOptions(String... more) {
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "-Xms64m",
            "-Xmx512m",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1",
            "-Dwarden.openai.base-url=http://127.0.0.1:" + System.getProperty("mock.port") + "/v1",
            "-Dwarden.openai.api-key=mock-upstream-key"));
    options.addAll(List.of(more));
    return options;
  }

  /** The option that gives a server the build's development keysets (those of the tests). */
  static String devKeysetOption() {
    return "-Dwarden.audit.dev-keyset-dir=" + System.getProperty("warden.audit.dev-keyset-dir");
  }

  String name() {
    return name;
  }

  Path directory() {
    return dir;
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + httpPort + "/");
  }

  /**
   * Starts the server and waits until {@code readyPath} answers 200 ({@code authorization}: the
   * header to send, or {@code null}).
   *
   * @return the server JVM's process
   */
  ProcessHandle start(String readyPath, String authorization) throws Exception {
    ProcessHandle jvm = startServer();
    WardenHttp http =
        new WardenHttp(
            base(), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    AtomicInteger last = new AtomicInteger(-1);
    try {
      await(name + " answering " + readyPath)
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (!jvm.isAlive()) {
                  throw new IllegalStateException(
                      name + " died while starting: " + tail(messagesLog()));
                }
                try {
                  last.set(
                      http.send(
                              http.request("GET", readyPath, authorization)
                                  .timeout(Duration.ofSeconds(30)),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode());
                } catch (IOException notYet) {
                  // the application is not there yet
                }
                return last.get() == 200;
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          name + " did not answer " + readyPath + " with 200 (last " + last + ")", e);
    }
    return jvm;
  }

  /**
   * Starts the server without waiting for an application.
   *
   * @return the server JVM's process
   */
  ProcessHandle startServer() throws Exception {
    int rc = script("start", START_TIMEOUT);
    if (rc != 0) {
      throw new IllegalStateException(
          "server start " + name + " exited with " + rc + ": " + tail(scriptLog));
    }
    return jvm().orElseThrow(() -> new IllegalStateException("no JVM for " + name));
  }

  /**
   * The first message of {@code messages.log} that contains {@code text} (with the lines that
   * continue it), waiting up to {@code timeout}.
   */
  java.util.Optional<String> awaitMessage(String text, Duration timeout) {
    try {
      return await("a message with " + text)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> message(text), java.util.Optional::isPresent);
    } catch (ConditionTimeoutException e) {
      return java.util.Optional.empty();
    }
  }

  /** The first message of {@code messages.log} that contains {@code text}, if there is one yet. */
  private java.util.Optional<String> message(String text) throws IOException {
    if (Files.isRegularFile(messagesLog())) {
      List<String> lines = Files.readAllLines(messagesLog(), StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(text)) {
          StringBuilder message = new StringBuilder(lines.get(i));
          for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("["); j++) {
            message.append('\n').append(lines.get(j));
          }
          return java.util.Optional.of(message.toString());
        }
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * The running server JVM: the pid Liberty's script wrote, checked against the process's command
   * line (Liberty's launcher with this server's name), so a stale pid file never names another
   * process.
   */
  java.util.Optional<ProcessHandle> jvm() throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return java.util.Optional.empty();
    }
    long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().commandLine().map(c -> c.contains("ws-server.jar")).orElse(false)
                    && p.info().arguments().map(a -> List.of(a).contains(name)).orElse(false));
  }

  /** SIGKILL to the server JVM (no shutdown hook, no orderly close); waits until it is gone. */
  void kill(ProcessHandle jvm) throws Exception {
    if (!jvm.destroyForcibly()) { // SIGKILL on Linux
      throw new IllegalStateException("could not send SIGKILL to " + jvm.pid());
    }
    jvm.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Stops the server if it runs (SIGKILL if the orderly stop fails); never throws. */
  void stop() {
    try {
      java.util.Optional<ProcessHandle> jvm = jvm();
      if (jvm.isEmpty()) {
        return;
      }
      script("stop", Duration.ofSeconds(60));
      if (jvm.get().isAlive()) {
        kill(jvm.get());
      }
    } catch (Exception e) {
      System.err.println("stopping " + name + ": " + e);
    }
  }

  /** Stops the server and deletes its directory; the logs first go to {@code keepLogs} if set. */
  void close(Path keepLogs) {
    stop();
    try {
      if (keepLogs != null && Files.isDirectory(dir.resolve("logs"))) {
        copyTree(dir.resolve("logs"), keepLogs);
      }
      deleteTree(dir);
      Files.deleteIfExists(scriptLog);
    } catch (IOException e) {
      System.err.println("removing " + dir + ": " + e);
    }
  }

  @Override
  public void close() {
    close(null);
  }

  Path messagesLog() {
    return dir.resolve("logs/messages.log");
  }

  private int script(String action, Duration timeout) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(wlp.resolve("bin/server").toString(), action, name)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(scriptLog.toFile()));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("server " + action + " " + name + " took over " + timeout);
    }
    return p.exitValue();
  }

  static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(" + file + ": " + e + ")";
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      return;
    }
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
