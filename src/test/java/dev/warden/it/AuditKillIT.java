package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.warden.audit.log.SeAuditStack;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost (#4, item 7): a real Liberty server with the Warden WAR serves concurrent {@code
 * /v1} chat completions, streaming and not, against the mock upstream, and its JVM is killed with
 * SIGKILL in the middle of that load. Restarted on the same database, it holds exactly one audit
 * record for every request that got its answer, and its chain verifies.
 *
 * <p>"Got its answer" means its status line (200) arrived, streams included: Warden writes a plain
 * call's record before the response, and commits a stream's pending row (the outbox) before its
 * first byte. A stream cut by the kill after its 200 has the record the restarted server made from
 * that row, FAILED with error {@code ServerInterrupted} (or its own SUCCEEDED record, if it was
 * committed before the kill); a stream that arrived whole has its SUCCEEDED record. A plain call
 * commits its pending row before its request reaches the upstream, so every request the upstream
 * received, answered or cut, has a record too.
 *
 * <p>The server is a second one beside Arquillian's ({@link LibertyServer}: name {@code
 * <it.server>-kill}, ports {@code it.http.port + 1} and {@code it.https.port + 1}), with its own
 * database: an H2 file in its directory on the H2 pass, a fresh PostgreSQL database {@code
 * warden_audit_kill<db.name suffix>} on the PostgreSQL pass. The chain is read through a test-only
 * endpoint added to its WAR ({@link AuditKillProbe}), which runs Warden's own {@code verify}. The
 * server is stopped and its directory deleted whatever happens (its logs are kept under {@code
 * target/failsafe-reports} when the test fails).
 */
class AuditKillIT {

  static final int CLIENTS = 8;
  static final int KILL_AFTER_PLAIN = 80;
  static final int KILL_AFTER_STREAMS = 20;
  static final String PROBE = "it/audit-kill";

  /** HTTP/1.1: one connection per client, so the kill cuts each client's own request. */
  private final HttpClient http11 =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One request of the load and what its client saw. */
  record Call(boolean stream, int status, String requestId, boolean whole, Exception failure) {
    /**
     * The caller got its 200 status line, so its record must be there: before the response for a
     * plain call, through the stream outbox for a stream (whole or cut).
     */
    boolean answered() {
      return status == 200;
    }

    /** The request was under way when the server died (not refused afterwards). */
    boolean cut() {
      return failure != null && !(failure instanceof ConnectException);
    }
  }

  @Test
  void everyAnsweredRequestHasExactlyOneRecordAfterASigkillAndTheChainVerifies() throws Exception {
    Path wlp = Path.of(System.getProperty("wlp.home"));
    Path war = Path.of(System.getProperty("warden.war"));
    String kind = System.getProperty("db.kind", "h2");
    String name = System.getProperty("it.server") + "-kill";
    int httpPort = Integer.parseInt(System.getProperty("it.http.port")) + 1;
    int httpsPort = Integer.parseInt(System.getProperty("it.https.port")) + 1;

    String database = killDatabase(System.getProperty("db.name", "warden"));
    if ("postgresql".equals(kind)) {
      SeAuditStack.Db.freshPostgres(database);
    }
    Path probeWar = war.resolveSibling("warden-kill.war");
    ShrinkWrap.createFromZipFile(WebArchive.class, war.toFile())
        .addClass(AuditKillProbe.class)
        .as(ZipExporter.class)
        .exportTo(probeWar.toFile(), true);

    MockAdmin mock = MockAdmin.forIntegrationTests();
    mock.reset(); // the request journal then counts this test's requests only
    LibertyServer server = null;
    boolean passed = false;
    try {
      // streams take a while (the mock's answer in 6 pieces over 300 ms), so some are mid-relay at
      // the kill
      mock.stub(MockAdmin.streamedChat(), MockAdmin.slowDefault(6, 300));

      server =
          new LibertyServer(
              wlp,
              System.getProperty("it.server"),
              name,
              httpPort,
              Map.of(
                  "db.kind", kind,
                  "warden.db.name", database,
                  "https.port", Integer.toString(httpsPort)),
              LibertyServer.wardenJvmOptions(LibertyServer.devKeysetOption()),
              Map.of("WARDEN_DEV_MODE", "true", "WARDEN_IDENTITY_DEV_REGISTRY_ENABLED", "true"),
              probeWar);
      WardenHttp http = new WardenHttp(server.base(), http11);
      long t0 = System.nanoTime();
      ProcessHandle jvm = server.start(PROBE, TestCredentials.DEV_AUDITOR);
      long t1 = System.nanoTime();
      long startCpu = jvm.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);

      // load, and SIGKILL in the middle of it
      Queue<Call> calls = new ConcurrentLinkedQueue<>();
      AtomicInteger plain = new AtomicInteger();
      AtomicInteger streams = new AtomicInteger();
      AtomicBoolean killed = new AtomicBoolean();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.submit(
            () -> {
              for (int n = 0; !killed.get(); n++) {
                boolean stream = (client + n) % 2 == 0;
                Call call = call(http, stream, "client " + client + " call " + n);
                calls.add(call);
                if (call.answered()) {
                  (stream ? streams : plain).incrementAndGet();
                } else if (call.failure() != null) {
                  return; // the server is gone
                }
              }
            });
      }
      try {
        await("enough answers to kill in the middle of the load")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(10))
            .until(
                () ->
                    !jvm.isAlive()
                        || plain.get() >= KILL_AFTER_PLAIN && streams.get() >= KILL_AFTER_STREAMS);
      } catch (ConditionTimeoutException slowMachine) {
        // kill it anyway, in the middle of what load there is
      }
      assertThat(jvm.isAlive()).as("the server died by itself").isTrue();
      assertThat(plain.get()).as("answers before the deadline").isGreaterThanOrEqualTo(1);
      long t2 = System.nanoTime();
      server.kill(jvm);
      killed.set(true);
      // what reached the upstream before the kill: each has a pending row or a record
      int reachedUpstream = mock.count(MockAdmin.request("POST", "/v1/chat/completions"));
      clients.shutdown();
      assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(jvm.isAlive()).isFalse();

      // the same server, the same database
      long t3 = System.nanoTime();
      server.start(PROBE, TestCredentials.DEV_AUDITOR);
      long t4 = System.nanoTime();
      List<Call> after =
          List.of(
              call(http, false, "after the restart"),
              call(http, true, "after the restart, streaming"));
      assertThat(after).allSatisfy(c -> assertThat(c.whole()).as(c.toString()).isTrue());
      JsonObject chain = probe(http);

      List<Call> answered = calls.stream().filter(Call::answered).toList();
      List<Call> cut = calls.stream().filter(Call::cut).toList();
      List<JsonObject> records = chain.getJsonArray("records").getValuesAs(JsonValue::asJsonObject);
      Map<String, Long> perRequest =
          records.stream()
              .collect(Collectors.groupingBy(r -> r.getString("requestId"), Collectors.counting()));
      Map<String, Boolean> streamed =
          records.stream()
              .collect(
                  Collectors.toMap(
                      r -> r.getString("requestId"), r -> r.getBoolean("streamed"), (a, b) -> a));
      Map<String, String> outcome =
          records.stream()
              .collect(
                  Collectors.toMap(
                      r -> r.getString("requestId"),
                      r ->
                          r.getString("outcome")
                              + (r.isNull("errorType") ? "" : "/" + r.getString("errorType")),
                      (a, b) -> a));
      List<Call> cutStreams = answered.stream().filter(c -> c.stream() && !c.whole()).toList();
      System.out.printf(
          "AuditKillIT (%s): %d requests before the SIGKILL, %d reached the upstream, %d answered"
              + " (%d streams), %d cut by it (%d streams after their 200); %d records after the"
              + " restart (%d"
              + " ServerInterrupted), %d of requests"
              + " whose client got no answer; start %d ms (%d ms of CPU), load %d ms, restart %d ms%n",
          kind,
          calls.size(),
          reachedUpstream,
          answered.size(),
          answered.stream().filter(Call::stream).count(),
          cut.size(),
          cutStreams.size(),
          records.size(),
          outcome.values().stream().filter(o -> o.endsWith("/ServerInterrupted")).count(),
          records.stream()
              .map(r -> r.getString("requestId"))
              .filter(
                  id ->
                      answered.stream().noneMatch(c -> id.equals(c.requestId()))
                          && after.stream().noneMatch(c -> id.equals(c.requestId())))
              .count(),
          (t1 - t0) / 1_000_000,
          startCpu,
          (t2 - t1) / 1_000_000,
          (t4 - t3) / 1_000_000);

      assertThat(cut).as("requests under way when the server was killed").isNotEmpty();
      List<Call> mustHave = new ArrayList<>(answered);
      mustHave.addAll(after);
      assertThat(mustHave).allSatisfy(c -> assertThat(c.requestId()).startsWith("wrd_"));
      assertThat(mustHave.stream().filter(c -> !perRequest.containsKey(c.requestId())).toList())
          .as("answered requests without a record")
          .isEmpty();
      assertThat(mustHave)
          .allSatisfy(
              c -> assertThat(streamed.get(c.requestId())).as(c.toString()).isEqualTo(c.stream()));
      assertThat(perRequest)
          .as("no request has two records")
          .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
      assertThat(records.size())
          .as("no record but those of the test's requests")
          .isLessThanOrEqualTo(calls.size() + after.size());
      // the streams cut after their 200 are the outbox's case: their records say how they ended
      assertThat(cutStreams).as("streams cut after their 200").isNotEmpty();
      assertThat(cutStreams)
          .allSatisfy(
              c ->
                  assertThat(outcome.get(c.requestId()))
                      .as(c.toString())
                      .isIn("FAILED/ServerInterrupted", "SUCCEEDED"));
      assertThat(answered.stream().filter(Call::whole))
          .allSatisfy(
              c -> assertThat(outcome.get(c.requestId())).as(c.toString()).isEqualTo("SUCCEEDED"));
      assertThat(records.size() - after.size())
          .as("records of the load, one for every request that reached the upstream at least")
          .isGreaterThanOrEqualTo(reachedUpstream);
      // every record of a call, answered or cut, has exactly one usage entry, and no entry is
      // without its record: the cut ones are charged their counted input
      JsonObject usage = chain.getJsonObject("usage");
      assertThat(perRequest.keySet())
          .allSatisfy(id -> assertThat(usage.getInt(id, 0)).as("usage entries of " + id).isOne());
      assertThat(usage.keySet()).isSubsetOf(perRequest.keySet());
      assertThat(chain.getBoolean("intact")).as(chain.get("break").toString()).isTrue();
      JsonObject heads = chain.getJsonObject("heads");
      for (String c : heads.keySet()) {
        assertThat(
                records.stream()
                    .filter(r -> Integer.toString(r.getInt("chain")).equals(c))
                    .map(r -> r.getJsonNumber("sequence").longValue()))
            .as("no gap in chain " + c + ", nothing past its head")
            .containsExactlyElementsOf(
                LongStream.rangeClosed(1, heads.getJsonNumber(c).longValue()).boxed().toList());
      }
      assertThat(records)
          .as("every record in a chain with a head")
          .allSatisfy(r -> assertThat(heads).containsKey(Integer.toString(r.getInt("chain"))));
      passed = true;
    } finally {
      if (server != null) {
        // the server's logs stay when the test fails (or with -Dit.kill.keep-logs=true)
        server.close(
            passed && !Boolean.getBoolean("it.kill.keep-logs")
                ? null
                : Path.of("target", "failsafe-reports", name + "-logs").toAbsolutePath());
      }
      mock.reset();
      Files.deleteIfExists(probeWar);
    }
  }

  /** One chat completion, streaming or not, as {@code dev-user}; never throws. */
  private Call call(WardenHttp http, boolean stream, String content) {
    JsonObject body =
        Json.createObjectBuilder()
            .add("model", "gpt-4o-mini")
            .add("stream", stream)
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "user").add("content", content)))
            .build();
    HttpRequest.Builder request =
        http.request(
                "POST",
                "v1/chat/completions",
                TestCredentials.DEV_USER,
                WardenHttp.JSON,
                body.toString().getBytes(StandardCharsets.UTF_8))
            .timeout(Duration.ofSeconds(30));
    AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
    Function<HttpResponse.ResponseInfo, String> requestId =
        info -> info == null ? null : info.headers().firstValue("x-request-id").orElse(null);
    try {
      HttpResponse<String> response =
          http.send(
              request,
              info -> {
                head.set(info);
                return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
              });
      String text = response.body();
      boolean whole =
          response.statusCode() == 200
              && (stream
                  ? text.contains("data: [DONE]") && !text.contains("\"error\"")
                  : text.contains("\"chat.completion\""));
      return new Call(stream, response.statusCode(), requestId.apply(head.get()), whole, null);
    } catch (IOException e) {
      HttpResponse.ResponseInfo info = head.get();
      return new Call(
          stream, info == null ? 0 : info.statusCode(), requestId.apply(info), false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Call(stream, 0, null, false, e);
    }
  }

  private static JsonObject probe(WardenHttp http) throws Exception {
    HttpResponse<String> response =
        http.send(
            http.request("GET", PROBE, TestCredentials.DEV_AUDITOR)
                .timeout(Duration.ofSeconds(60)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return WardenHttp.json(response);
  }

  /**
   * The kill server's PostgreSQL database: {@code warden_audit_kill} plus what follows {@code
   * warden} in the build's database name ({@code warden_x} gives {@code warden_audit_kill_x}), so
   * builds on other databases do not share it.
   */
  static String killDatabase(String buildDatabase) {
    return auditDatabase("kill", buildDatabase);
  }

  /** A test's own PostgreSQL database {@code warden_audit_<purpose><db.name suffix>}. */
  static String auditDatabase(String purpose, String buildDatabase) {
    String suffix =
        buildDatabase.startsWith("warden")
            ? buildDatabase.substring("warden".length())
            : "_" + buildDatabase;
    return "warden_audit_"
        + purpose
        + suffix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z_]", "_");
  }
}
