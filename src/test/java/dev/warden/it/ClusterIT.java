package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.warden.audit.log.SeAuditStack;
import jakarta.json.Json;
import jakarta.json.JsonObject;
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
import org.junit.jupiter.api.Test;

/**
 * Two real Warden servers (two Liberty processes, two ports) on one PostgreSQL database, driven
 * together: a rate limit is admitted once across both, a key revoked on one is refused by the other
 * within a second, a subject erased on one can no longer be read on the other, and both append to
 * one chain that verifies. It runs in the PostgreSQL build only: the embedded H2 database belongs
 * to one server.
 *
 * <p>The servers are {@code <it.server>-cluster-a} and {@code -b}, on ports {@code it.http.port +
 * 7} and {@code + 8}, in the database {@value #DATABASE}.
 */
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
    startB.get(300, TimeUnit.SECONDS);
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
        List.of(
            "-Xms64m",
            "-Xmx512m",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1",
            "-Dwarden.openai.base-url=http://127.0.0.1:" + System.getProperty("mock.port") + "/v1",
            "-Dwarden.openai.api-key=mock-upstream-key",
            // the same keysets on both, as servers of one deployment have
            "-Dwarden.audit.dev-keyset-dir=" + System.getProperty("warden.audit.dev-keyset-dir")),
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

    // both servers appended to one chain, which verifies
    HttpResponse<String> verify = httpA.post("api/audit/verify", TestCredentials.DEV_AUDITOR, null);
    assertThat(WardenHttp.json(verify).getBoolean("ok")).as(verify.body()).isTrue();
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
