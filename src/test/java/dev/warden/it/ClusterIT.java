package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.warden.audit.log.SeAuditStack;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real Warden servers (two Liberty processes, two ports) on one PostgreSQL database, driven
 * together: a budget and a rate limit hold across both, a key revoked on one is refused by the
 * other within a second, a subject erased on one can no longer be read on the other, both append to
 * one log (taking different chains when they append at once) that verifies, and what one leaves
 * when it is killed the other recovers. It runs in the PostgreSQL build only: the embedded H2
 * database belongs to one server.
 *
 * <p>The servers are {@code <it.server>-cluster-a} and {@code -b}, on ports {@code it.http.port +
 * 7} and {@code + 8}, in the database {@value #DATABASE}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final String DATABASE = "warden_audit_cluster";
  private static final String CHAT = "v1/chat/completions";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static LibertyServer a;
  private static LibertyServer b;
  private static ProcessHandle jvmB;
  private static WardenHttp httpA;
  private static WardenHttp httpB;

  @BeforeAll
  static void startTwoServersOnOneDatabase() throws Exception {
    SeAuditStack.Db.freshPostgres(DATABASE);
    a = server("a", 7);
    b = server("b", 8);
    // both at once: each start is mostly CPU of its own JVM
    CompletableFuture<ProcessHandle> startA = start(a);
    CompletableFuture<ProcessHandle> startB = start(b);
    startA.get(300, TimeUnit.SECONDS);
    jvmB = startB.get(300, TimeUnit.SECONDS);
    httpA = new WardenHttp(a.base(), CLIENT);
    httpB = new WardenHttp(b.base(), CLIENT);
  }

  @AfterAll
  static void stopBoth() {
    Path keep = Path.of("target", "failsafe-reports");
    for (LibertyServer s : new LibertyServer[] {a, b}) {
      if (s != null) {
        s.close(keep.resolve(s.name() + "-logs"));
      }
    }
  }

  private static LibertyServer server(String which, int offset) throws Exception {
    int httpPort = Integer.parseInt(System.getProperty("it.http.port")) + offset;
    int httpsPort = Integer.parseInt(System.getProperty("it.https.port")) + offset;
    return new LibertyServer(
        Path.of(System.getProperty("wlp.home")),
        System.getProperty("it.server"),
        System.getProperty("it.server") + "-cluster-" + which,
        httpPort,
        Map.of(
            "db.kind",
            "postgresql",
            "warden.db.name",
            DATABASE,
            "https.port",
            Integer.toString(httpsPort)),
        LibertyServer.wardenJvmOptions(
            // a gone server is noticed within seconds
            "-Dwarden.cluster.lease-renewal=PT1S",
            "-Dwarden.cluster.lease-expiry=PT5S",
            // the same keysets on both, as servers of one deployment have
            LibertyServer.devKeysetOption()),
        Map.of("WARDEN_DEV_MODE", "true", "WARDEN_IDENTITY_DEV_REGISTRY_ENABLED", "true"),
        Path.of(System.getProperty("warden.war")));
  }

  private static CompletableFuture<ProcessHandle> start(LibertyServer server) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return server.start("health/ready", null);
          } catch (Exception e) {
            throw new IllegalStateException(server.name() + " did not start", e);
          }
        });
  }

  /** Creates an API key of dev-user on server A; returns its id and secret. */
  private static String[] newKey(String name, JsonObject limits) throws Exception {
    JsonObject body =
        Json.createObjectBuilder(limits)
            .add("owner", "dev-user")
            .add("tenant", "default")
            .add("name", name)
            .build();
    HttpResponse<String> created = httpA.post("api/keys", TestCredentials.DEV_ADMIN, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject json = WardenHttp.json(created);
    return new String[] {json.getString("id"), json.getString("key")};
  }

  private static HttpResponse<String> chat(WardenHttp http, String key, String subject)
      throws Exception {
    return http.postJson(
        CHAT,
        "Bearer " + key,
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"user\":\""
            + subject
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello from "
            + subject
            + "\"}]}");
  }

  @Test
  void aRequestsPerMinuteLimitIsAdmittedExactlyOnceAcrossBothServers() throws Exception {
    int limit = 10;
    String key =
        newKey(
            "cluster rate", Json.createObjectBuilder().add("requests_per_minute", limit).build())[
            1];
    int calls = 30;
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try {
      List<Future<int[]>> answers = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int server = i % 2;
        answers.add(
            clients.submit(
                () ->
                    new int[] {
                      server, chat(server == 0 ? httpA : httpB, key, "rate-subject").statusCode()
                    }));
      }
      int[][] admitted = new int[2][2]; // [server][0: 200, 1: 429]
      for (Future<int[]> f : answers) {
        int[] answer = f.get(120, TimeUnit.SECONDS);
        assertThat(answer[1]).as("every call is admitted or refused for its rate").isIn(200, 429);
        admitted[answer[0]][answer[1] == 200 ? 0 : 1]++;
      }
      System.out.printf(
          "ClusterIT: %d calls, requests per minute %d: server A admitted %d and refused %d,"
              + " server B admitted %d and refused %d%n",
          calls, limit, admitted[0][0], admitted[0][1], admitted[1][0], admitted[1][1]);
      assertThat(admitted[0][0] + admitted[1][0]).isEqualTo(limit);
      assertThat(admitted[0][1] + admitted[1][1]).isEqualTo(calls - limit);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void callsThroughBothServersNeverSpendMoreThanTheBudgetAndTheLedgerAgreesWithIt()
      throws Exception {
    // what one call costs: the mock answers every such call with the same usage
    String[] probe =
        newKey("cluster price", Json.createObjectBuilder().add("daily_budget_usd", "100").build());
    assertThat(chat(httpA, probe[1], "budget-subject").statusCode()).isEqualTo(200);
    BigDecimal one = decimal(budgetOfKey(probe[0]), "spent");
    assertThat(one).isPositive();

    BigDecimal limit = one.multiply(BigDecimal.valueOf(50));
    String[] key =
        newKey(
            "cluster budget",
            Json.createObjectBuilder().add("daily_budget_usd", limit.toPlainString()).build());
    int calls = 200;
    ExecutorService clients = Executors.newFixedThreadPool(16);
    int answered = 0;
    int refused = 0;
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        WardenHttp http = i % 2 == 0 ? httpA : httpB;
        statuses.add(clients.submit(() -> chat(http, key[1], "budget-subject").statusCode()));
      }
      for (Future<Integer> f : statuses) {
        int status = f.get(120, TimeUnit.SECONDS);
        assertThat(status).as("every call is answered or refused for its budget").isIn(200, 429);
        if (status == 200) {
          answered++;
        } else {
          refused++;
        }
      }
    } finally {
      clients.shutdownNow();
    }
    JsonObject budget = budgetOfKey(key[0]);
    HttpResponse<String> usage =
        httpA.get("api/usage?api_key=" + key[0], TestCredentials.DEV_AUDITOR);
    assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
    BigDecimal ledger = decimal(WardenHttp.json(usage), "total_cost");
    System.out.printf(
        "ClusterIT: %d calls through both servers against a budget for 50: %d answered, %d"
            + " refused; spent %s of %s USD, the ledger %s USD%n",
        calls, answered, refused, decimal(budget, "spent"), limit, ledger);
    assertThat(decimal(budget, "spent")).isLessThanOrEqualTo(limit);
    assertThat(decimal(budget, "reserved")).isEqualByComparingTo("0");
    assertThat(ledger).isEqualByComparingTo(decimal(budget, "spent"));
    assertThat(decimal(budget, "spent"))
        .isEqualByComparingTo(one.multiply(BigDecimal.valueOf(answered)));
    assertThat(answered).isBetween(1, 50);
    assertThat(WardenHttp.json(usage).getInt("total_requests")).isEqualTo(answered);
  }

  @Test
  void aKeyRevokedOnOneServerIsRefusedByTheOtherWithinASecond() throws Exception {
    String[] key = newKey("cluster revocation", Json.createObjectBuilder().build());
    String bearer = "Bearer " + key[1];
    // server B authenticates it, and caches it (for 30 s by default)
    assertThat(httpB.get("api/me", bearer).statusCode()).isEqualTo(200);

    HttpResponse<String> revoked =
        httpA.send("DELETE", "api/keys/" + key[0], TestCredentials.DEV_ADMIN, null);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    long revokedAt = System.nanoTime();

    await("server B refusing the key server A revoked")
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> httpB.get("api/me", bearer).statusCode() == 401);
    System.out.printf(
        "ClusterIT: a key revoked on server A was refused by server B after %d ms%n",
        (System.nanoTime() - revokedAt) / 1_000_000);
  }

  @Test
  void aSubjectErasedOnOneServerCanNoLongerBeReadOrWrittenUnderItsOldKeyOnTheOther()
      throws Exception {
    String subject = "cluster-subject-1";
    String key = newKey("cluster erasure", Json.createObjectBuilder().build())[1];
    String before = recordOf(httpB, chat(httpB, key, subject));
    // server B reads it decrypted, so it holds the subject's key in its cache
    assertThat(requestState(httpB, before)).isEqualTo("present");

    HttpResponse<String> erased =
        httpA.post(
            "api/audit/erasures",
            TestCredentials.DEV_AUDITOR,
            Json.createObjectBuilder()
                .add("subject", subject)
                .add("reason", "the subject asked to be forgotten")
                .build());
    assertThat(erased.statusCode()).as(erased.body()).isEqualTo(201);
    assertThat(WardenHttp.json(erased).getBoolean("subject_had_key")).isTrue();

    // at once, on the other server
    assertThat(requestState(httpB, before)).isEqualTo("erased");
    // a new call of the subject on server B is written under a new key, which server A reads
    String after = recordOf(httpB, chat(httpB, key, subject));
    assertThat(requestState(httpA, after)).isEqualTo("present");
    assertThat(requestState(httpA, before)).isEqualTo("erased");

    // both servers appended to one log, which verifies
    HttpResponse<String> verify = httpA.post("api/audit/verify", TestCredentials.DEV_AUDITOR, null);
    assertThat(WardenHttp.json(verify).getBoolean("ok")).as(verify.body()).isTrue();
  }

  @Test
  void bothServersAppendingAtOnceTakeDifferentChainsAndTheLogVerifies() throws Exception {
    String key = newKey("cluster chains", Json.createObjectBuilder().build())[1];
    Map<Integer, Long> before = heads();
    int calls = 400;
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        WardenHttp http = i % 2 == 0 ? httpA : httpB;
        statuses.add(clients.submit(() -> chat(http, key, "chains-subject").statusCode()));
      }
      for (Future<Integer> f : statuses) {
        assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(200);
      }
    } finally {
      clients.shutdownNow();
    }
    Map<Integer, Long> after = heads();
    Map<Integer, Long> appended = new java.util.TreeMap<>();
    after.forEach((chain, seq) -> appended.put(chain, seq - before.getOrDefault(chain, 0L)));
    System.out.printf(
        "ClusterIT: %d calls through both servers at once; records appended per chain: %s%n",
        calls, appended);
    assertThat(appended.values().stream().mapToLong(Long::longValue).sum())
        .as("one record per call, each in one chain")
        .isEqualTo(calls);
    assertThat(appended.values().stream().filter(n -> n > 0).count())
        .as("appends of the two servers that met took another chain instead of waiting")
        .isGreaterThanOrEqualTo(2);
    HttpResponse<String> verify = httpB.post("api/audit/verify", TestCredentials.DEV_AUDITOR, null);
    assertThat(WardenHttp.json(verify).getBoolean("ok")).as(verify.body()).isTrue();
  }

  /** Each chain's head sequence number, as the checkpoints page lists them. */
  private static Map<Integer, Long> heads() throws Exception {
    HttpResponse<String> r =
        httpA.get("api/audit/checkpoints?limit=1", TestCredentials.DEV_AUDITOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<Integer, Long> heads = new java.util.TreeMap<>();
    for (JsonObject h : WardenHttp.json(r).getJsonArray("heads").getValuesAs(JsonObject.class)) {
      heads.put(h.getInt("chain"), h.getJsonNumber("sequence").longValue());
    }
    return heads;
  }

  /**
   * Streams in flight on server B, each past its 200 (so its pending row and its budget hold are
   * committed), when B is killed with SIGKILL: server A claims B's expired lease, records each
   * stream as FAILED (ServerInterrupted) exactly once, charges each its counted input (one usage
   * entry, settled on the budget) and releases the rest of B's reservations; the chain verifies.
   * Last, since server B stays dead.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void whatAKilledServerLeftIsRecoveredByTheOther() throws Exception {
    int streams = 6;
    String[] key =
        newKey("cluster kill", Json.createObjectBuilder().add("daily_budget_usd", "5").build());
    MockAdmin mock = MockAdmin.forIntegrationTests();
    ExecutorService clients = Executors.newFixedThreadPool(streams);
    try {
      // streams take 30 s, so all are under way at the kill
      mock.stub(MockAdmin.streamedChat(), MockAdmin.slowDefault(6, 30_000));
      List<CompletableFuture<String>> started = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        CompletableFuture<String> requestId = new CompletableFuture<>();
        started.add(requestId);
        int n = i;
        clients.submit(
            () -> {
              try {
                HttpResponse<java.io.InputStream> r =
                    httpB.send(
                        httpB.request(
                            "POST",
                            CHAT,
                            "Bearer " + key[1],
                            WardenHttp.JSON,
                            ("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"max_tokens\":16,"
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"stream "
                                    + n
                                    + "\"}]}")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                  requestId.completeExceptionally(
                      new AssertionError("stream " + n + ": " + r.statusCode()));
                  return;
                }
                requestId.complete(r.headers().firstValue("x-request-id").orElseThrow());
                try (java.io.InputStream body = r.body()) {
                  body.transferTo(java.io.OutputStream.nullOutputStream());
                }
              } catch (Exception cutByTheKill) {
                requestId.completeExceptionally(cutByTheKill);
              }
            });
      }
      List<String> cut = new ArrayList<>();
      for (CompletableFuture<String> f : started) {
        cut.add(f.get(120, TimeUnit.SECONDS));
      }
      assertThat(reservedOfKey(key[0])).as("B's streams hold a reservation").isPositive();

      b.kill(jvmB);
      long killedAt = System.nanoTime();

      await("server A recovering what server B left")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (reservedOfKey(key[0]).signum() != 0) {
                  return false;
                }
                for (String id : cut) {
                  if (records(id).size() != 1) {
                    return false;
                  }
                }
                return true;
              });
      System.out.printf(
          "ClusterIT: %d streams cut by a SIGKILL of server B recorded and their reservations"
              + " released by server A after %d ms (lease expiry 5 s)%n",
          cut.size(), (System.nanoTime() - killedAt) / 1_000_000);
      for (String id : cut) {
        JsonObject record = records(id).get(0);
        assertThat(record.getString("outcome")).isEqualTo("FAILED");
        assertThat(record.getString("error_type")).isEqualTo("ServerInterrupted");
      }
      // each cut call is charged its counted input, once: one usage entry each, and the spend
      // equals the ledger
      HttpResponse<String> usage =
          httpA.get("api/usage?api_key=" + key[0], TestCredentials.DEV_AUDITOR);
      assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
      JsonObject ledger = WardenHttp.json(usage);
      assertThat(ledger.getInt("total_requests")).as(usage.body()).isEqualTo(streams);
      assertThat(decimal(ledger, "total_cost")).isPositive();
      assertThat(decimal(budgetOfKey(key[0]), "spent"))
          .isEqualByComparingTo(decimal(ledger, "total_cost"));
      HttpResponse<String> verify =
          httpA.post("api/audit/verify", TestCredentials.DEV_AUDITOR, null);
      assertThat(WardenHttp.json(verify).getBoolean("ok")).as(verify.body()).isTrue();
    } finally {
      clients.shutdownNow();
      mock.reset();
    }
  }

  /** The records of a request, read on server A. */
  private static List<JsonObject> records(String requestId) throws Exception {
    HttpResponse<String> found =
        httpA.get("api/audit?request_id=" + requestId, TestCredentials.DEV_AUDITOR);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return WardenHttp.json(found).getJsonArray("data").getValuesAs(JsonObject.class);
  }

  /** What today's budget of the API key {@code id} holds reserved, read on server A. */
  private static BigDecimal reservedOfKey(String id) throws Exception {
    return decimal(budgetOfKey(id), "reserved");
  }

  /** Today's budget row of the API key {@code id}, read on server A. */
  private static JsonObject budgetOfKey(String id) throws Exception {
    HttpResponse<String> budgets = httpA.get("api/usage/budgets", TestCredentials.DEV_AUDITOR);
    assertThat(budgets.statusCode()).as(budgets.body()).isEqualTo(200);
    for (JsonObject row :
        WardenHttp.json(budgets).getJsonArray("budgets").getValuesAs(JsonObject.class)) {
      if ("key".equals(row.getString("scope"))
          && id.equals(row.getString("subject"))
          && "daily".equals(row.getString("period"))) {
        return row;
      }
    }
    throw new AssertionError("no daily budget row of key " + id + ": " + budgets.body());
  }

  private static BigDecimal decimal(JsonObject o, String name) {
    return new BigDecimal(o.get(name).toString().replace("\"", ""));
  }

  /** The audit record id of an answered call. */
  private static String recordOf(WardenHttp http, HttpResponse<String> call) throws Exception {
    assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
    String requestId = call.headers().firstValue("x-request-id").orElseThrow();
    HttpResponse<String> found =
        http.get("api/audit?request_id=" + requestId, TestCredentials.DEV_AUDITOR);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return WardenHttp.json(found).getJsonArray("data").getJsonObject(0).getString("record_id");
  }

  /** The state of a record's decrypted request, read on {@code http}'s server. */
  private static String requestState(WardenHttp http, String recordId) throws Exception {
    HttpResponse<String> read = http.get("api/audit/" + recordId, TestCredentials.DEV_AUDITOR);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    return WardenHttp.json(read)
        .getJsonObject("content")
        .getJsonObject("request")
        .getString("state");
  }
}
