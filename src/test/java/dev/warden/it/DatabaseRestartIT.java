package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * PostgreSQL restarted under load: a Warden server on a PostgreSQL of the test's own ({@link
 * PrivatePostgres}; the machine's shared one is never touched) takes calls from eight clients,
 * plain and streamed, while the database is crashed ({@code pg_ctl stop -m immediate}: connections
 * cut, no checkpoint, recovery at the next start) and started again. First the database is away for
 * less than the retry window: the writes that met the restart wait and go through. Then for longer:
 * the records that outlast the window go to the server's audit journal, and are written once the
 * database is back. After each: every call that reached the upstream has exactly one audit record
 * and one usage entry, the key's budget spend equals its ledger with nothing left reserved, no
 * outbox row is left, and the chain verifies. No caller ever gets a 500.
 *
 * <p>It runs in the PostgreSQL build (the server's database kind), like {@code ClusterIT}. The
 * server is {@code <it.server>-restart}, on ports {@code it.http.port + 5} and {@code it.https.port
 * + 5}; the database on a free port.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseRestartIT {
  private static final String CHAT = "v1/chat/completions";
  private static final int CLIENTS = 8;
  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static PrivatePostgres pg;
  private static LibertyServer server;
  private static WardenHttp http;
  private static MockAdmin mock;
  private static Path journal;
  private static String keyId;
  private static String key;
  private static boolean passed;

  /** One call as its client saw it. */
  record Call(String requestId, boolean stream, int status, String code, boolean whole) {}

  @BeforeAll
  static void startWardenOnADatabaseOfItsOwn() throws Exception {
    int pgPort;
    try (ServerSocket free = new ServerSocket(0)) {
      pgPort = free.getLocalPort();
    }
    pg = PrivatePostgres.start(Path.of("target").toAbsolutePath(), pgPort);
    pg.createDatabase("warden");
    mock = MockAdmin.forIntegrationTests();
    mock.reset(); // the request journal then counts this test's requests only
    int httpPort = Integer.parseInt(System.getProperty("it.http.port")) + 5;
    int httpsPort = Integer.parseInt(System.getProperty("it.https.port")) + 5;
    String name = System.getProperty("it.server") + "-restart";
    server =
        new LibertyServer(
            Path.of(System.getProperty("wlp.home")),
            System.getProperty("it.server"),
            name,
            httpPort,
            Map.of(
                "db.kind",
                "postgresql",
                "warden.db.name",
                "warden",
                "warden.db.port",
                Integer.toString(pgPort),
                "https.port",
                Integer.toString(httpsPort)),
            LibertyServer.wardenJvmOptions(
                "-Dwarden.database.retry-window=" + WINDOW,
                "-Dwarden.audit.journal.replay-interval=PT0.5S",
                LibertyServer.devKeysetOption()),
            Map.of("WARDEN_DEV_MODE", "true", "WARDEN_IDENTITY_DEV_REGISTRY_ENABLED", "true"),
            Path.of(System.getProperty("warden.war")));
    journal = server.directory().resolve("audit-journal");
    server.start("health/ready", null);
    http = new WardenHttp(server.base(), CLIENT);

    JsonObject body =
        Json.createObjectBuilder()
            .add("owner", "dev-user")
            .add("tenant", "default")
            .add("name", "restart load")
            .add("daily_budget_usd", "1000")
            .build();
    HttpResponse<String> created = http.post("api/keys", TestCredentials.DEV_ADMIN, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    keyId = WardenHttp.json(created).getString("id");
    key = WardenHttp.json(created).getString("key");
    for (int i = 0; i < 4; i++) {
      assertThat(call(i % 2 == 0, "warm-up " + i).status()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stopAll() {
    try {
      if (server != null) {
        server.close(
            passed ? null : Path.of("target", "failsafe-reports", server.name() + "-logs"));
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
      if (mock != null) {
        mock.reset();
      }
    }
  }

  @Test
  @Order(1)
  void aRestartShorterThanTheRetryWindowLosesNothingAndFailsNoCallThatReachedTheUpstream()
      throws Exception {
    List<Call> calls = underLoad(Duration.ofSeconds(2));
    Totals t = settled();
    report("restart, the database away 2 s (window " + WINDOW + ")", calls, t);

    assertThat(calls).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isIn(200, 503));
    // within the window no record is kept aside: a 503 only for calls the restart stopped before
    // their upstream (the budget could not be reserved while the database was away)
    assertThat(calls.stream().filter(c -> c.status() == 503))
        .allSatisfy(c -> assertThat(c.code()).as(c.toString()).isEqualTo("database_unavailable"));
    assertThat(Files.exists(journal) ? listJournal() : List.of()).isEmpty();
    assertEverythingAgrees(calls, t);
  }

  @Test
  @Order(2)
  void aRestartLongerThanTheRetryWindowKeepsTheRecordsInTheJournalUntilTheDatabaseIsBack()
      throws Exception {
    AtomicBoolean sawJournal = new AtomicBoolean();
    AtomicBoolean gaugeShowedIt = new AtomicBoolean();
    List<Call> calls =
        underLoad(
            WINDOW.plusSeconds(4),
            () -> {
              if (!listJournal().isEmpty()) {
                sawJournal.set(true);
              }
              if (journalGauge() > 0) {
                gaugeShowedIt.set(true);
              }
            });
    await("the journal written back")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> listJournal().isEmpty());
    Totals t = settled();
    report("restart, the database away " + WINDOW.plusSeconds(4).toSeconds() + " s", calls, t);

    assertThat(calls).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isIn(200, 503));
    assertThat(calls.stream().filter(c -> c.status() == 503))
        .allSatisfy(
            c ->
                assertThat(c.code())
                    .as(c.toString())
                    .isIn("database_unavailable", "audit_unavailable"));
    // records outlasted the window: those of the calls under way when the database went away
    // (a plain call's caller then gets 503 audit_unavailable; a stream's 200 has gone out already)
    assertThat(sawJournal).as("the journal held records while the database was away").isTrue();
    assertThat(gaugeShowedIt).as("warden_audit_journal_batches showed them").isTrue();
    assertThat(journalGauge()).as("warden_audit_journal_batches once written back").isZero();
    assertEverythingAgrees(calls, t);
    passed = true;
  }

  /** What the database holds, read directly. */
  record Totals(
      int upstreamCalls,
      int records,
      int answeredRecords,
      Map<String, Integer> recordsPerRequest,
      int usageEntries,
      BigDecimal ledger,
      BigDecimal spent,
      BigDecimal reserved,
      int holds,
      int pendingRows) {}

  /**
   * What the database holds once no budget hold is left. A reservation whose commit met the outage
   * is in doubt (the database may have committed it and lost only its answer): the server releases
   * it once the database answers again, every 2 s. A hold that stays fails here, named by its call.
   */
  private static Totals settled() throws SQLException {
    await("no budget hold left")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(holdRows()).as("budget holds left").isEmpty());
    return totals();
  }

  /** The budget holds left, as "request id, owner, amount". */
  private static List<String> holdRows() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("warden"), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select request_id, owner, amount from cost_budget_hold")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + ", " + rs.getString(2) + ", " + rs.getBigDecimal(3));
      }
    }
    return rows;
  }

  private static Totals totals() throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("warden"), "postgres", "");
        Statement s = c.createStatement()) {
      Map<String, Integer> perRequest = new TreeMap<>();
      try (ResultSet rs =
          s.executeQuery(
              "select request_id, count(*) from audit_record where operation ="
                  + " 'chat.completions' group by request_id")) {
        while (rs.next()) {
          perRequest.put(rs.getString(1), rs.getInt(2));
        }
      }
      return new Totals(
          mock.count(MockAdmin.request("POST", "/v1/chat/completions")),
          perRequest.values().stream().mapToInt(Integer::intValue).sum(),
          integer(
              s,
              "select count(*) from audit_record where operation = 'chat.completions' and outcome"
                  + " = 'SUCCEEDED'"),
          perRequest,
          integer(s, "select count(*) from cost_usage where api_key_id = '" + keyId + "'"),
          decimal(
              s,
              "select coalesce(sum(cost), 0) from cost_usage where api_key_id = '" + keyId + "'"),
          decimal(
              s,
              "select coalesce(sum(spent), 0) from cost_budget where scope = 'key' and subject = '"
                  + keyId
                  + "'"),
          decimal(
              s,
              "select coalesce(sum(reserved), 0) from cost_budget where scope = 'key' and subject"
                  + " = '"
                  + keyId
                  + "'"),
          integer(s, "select count(*) from cost_budget_hold"),
          integer(s, "select count(*) from audit_stream_pending"));
    }
  }

  private static void assertEverythingAgrees(List<Call> calls, Totals t) throws Exception {
    assertThat(t.recordsPerRequest())
        .as("no call has two records")
        .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    assertThat(calls.stream().filter(c -> c.status() == 200))
        .as("every answered call has its record")
        .allSatisfy(
            c -> assertThat(t.recordsPerRequest()).as(c.toString()).containsKey(c.requestId()));
    // the mock answers every call it receives: each call that reached it has a SUCCEEDED record,
    // whether its caller got the answer or a 503 (the record kept in the journal)
    assertThat(t.answeredRecords())
        .as("records of calls the upstream answered")
        .isEqualTo(t.upstreamCalls());
    assertThat(t.usageEntries()).as("usage entries").isEqualTo(t.upstreamCalls());
    assertThat(t.spent()).as("the budget's spend").isEqualByComparingTo(t.ledger());
    assertThat(t.reserved()).as("nothing left reserved").isEqualByComparingTo("0");
    assertThat(t.holds()).as("budget holds left").isZero();
    assertThat(t.pendingRows()).as("outbox rows left").isZero();
    HttpResponse<String> verify = http.post("api/audit/verify", TestCredentials.DEV_AUDITOR, null);
    assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
    assertThat(WardenHttp.json(verify).getBoolean("ok")).as(verify.body()).isTrue();
  }

  private static void report(String what, List<Call> calls, Totals t) {
    Map<String, Long> outcomes = new TreeMap<>();
    for (Call c : calls) {
      outcomes.merge(c.status() + (c.code() == null ? "" : " " + c.code()), 1L, Long::sum);
    }
    System.out.printf(
        "DatabaseRestartIT, %s: %d calls (%s); so far %d upstream calls, %d records (%d"
            + " SUCCEEDED), %d usage entries, ledger %s USD = spend %s USD%n",
        what,
        calls.size(),
        outcomes,
        t.upstreamCalls(),
        t.records(),
        t.answeredRecords(),
        t.usageEntries(),
        t.ledger().stripTrailingZeros().toPlainString(),
        t.spent().stripTrailingZeros().toPlainString());
  }

  private List<Call> underLoad(Duration away) throws Exception {
    return underLoad(away, () -> {});
  }

  /**
   * Eight clients call until told to stop; the database is crashed once they have answers, kept
   * away for {@code away} (the scenario's outage, not a wait for a condition: {@code whileAway} is
   * checked meanwhile), started again, and the clients stop once calls are answered again.
   */
  private static List<Call> underLoad(Duration away, Runnable whileAway) throws Exception {
    Queue<Call> calls = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.submit(
            () -> {
              for (int n = 0; !stop.get(); n++) {
                calls.add(call((client + n) % 3 == 0, "client " + client + " call " + n));
              }
              return null;
            });
      }
      await("answers before the restart")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> calls.size() >= 40);
      pg.crash();
      long downUntil = System.nanoTime() + away.toNanos();
      while (System.nanoTime() < downUntil) {
        whileAway.run();
        Thread.sleep(100);
      }
      pg.start();
      int before = answered(calls);
      await("answers after the restart")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> answered(calls) >= before + 40);
      stop.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    } finally {
      stop.set(true);
      clients.shutdownNow();
    }
    return new ArrayList<>(calls);
  }

  private static int answered(Queue<Call> calls) {
    return (int) calls.stream().filter(c -> c.status() == 200).count();
  }

  /** What {@code warden_audit_journal_batches} shows now (metrics need no database). */
  private static double journalGauge() {
    try {
      HttpResponse<String> r = http.get("metrics?scope=application", null);
      for (String line : r.body().split("\n")) {
        if (line.startsWith("warden_audit_journal_batches")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      throw new AssertionError("no warden_audit_journal_batches in " + r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> listJournal() {
    if (!Files.isDirectory(journal)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(journal)) {
      return files.filter(f -> f.toString().endsWith(".journal")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One chat completion, streamed or not; a failure to connect is a test failure. */
  private static Call call(boolean stream, String text) throws Exception {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,"
            + (stream ? "\"stream\":true," : "")
            + "\"messages\":[{\"role\":\"user\",\"content\":\""
            + text
            + "\"}]}";
    HttpResponse<String> r = http.postJson(CHAT, "Bearer " + key, body);
    String requestId = r.headers().firstValue("x-request-id").orElse(null);
    if (r.statusCode() != 200) {
      String code = null;
      try {
        code = WardenHttp.json(r).getJsonObject("error").getString("code", null);
      } catch (RuntimeException notJson) {
        code = "not OpenAI's error object: " + r.body();
      }
      return new Call(requestId, stream, r.statusCode(), code, false);
    }
    boolean whole = !stream || r.body().strip().endsWith("data: [DONE]");
    return new Call(requestId, stream, 200, null, whole);
  }

  private static int integer(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static BigDecimal decimal(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getBigDecimal(1);
    }
  }
}
