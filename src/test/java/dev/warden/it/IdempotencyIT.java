package dev.warden.it;

import static dev.warden.it.TestCredentials.DEV_USER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.service.AiService;
import dev.warden.ai.service.Prompt;
import dev.warden.ai.service.Var;
import dev.warden.audit.log.AuditErasure;
import dev.warden.audit.log.SealedAnswers;
import dev.warden.gateway.idempotency.IdempotencyPurge;
import dev.warden.openai.error.ServerErrorException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.UserTransaction;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Idempotent replays through the real entry point: a caller's {@code Idempotency-Key} on {@code
 * /v1} replays the recorded answer (no second upstream call, no second call record), refuses a
 * different body (409) and a key still in flight (409), is scoped to the principal, releases the
 * key of a failed call, replays streams, and forgets answers of an erased data subject. And the
 * keys an {@code @AiService} method sends upstream stay the same across its MicroProfile Fault
 * Tolerance retries.
 */
class IdempotencyIT extends WardenIntegrationTest {

  /** An application's service with its own retry. */
  @AiService(model = "gpt-4.1-nano")
  public interface Replier {
    @Prompt(id = "support-reply", version = "1.0.0")
    @Retry(maxRetries = 2, delay = 10, jitter = 0)
    String reply(@Var("customer") String customer, @Var("question") String question);
  }

  /** The application's bean that injects it. */
  @ApplicationScoped
  public static class Desk {
    @Inject Replier replier;

    public Replier replier() {
      return replier;
    }
  }

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden().addClasses(Replier.class, Desk.class);
  }

  @Inject Desk desk;
  @Inject JpaProbe jpa;
  @Inject AuditErasure erasure;
  @Inject IdempotencyPurge purge;
  @Inject UserTransaction tx;

  private static final String USER_2 = TestCredentials.basic("dev-user-2", "dev-user-2");

  private static JsonObjectBuilder chat(String content) {
    return Json.createObjectBuilder()
        .add("model", "gpt-4o-mini")
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", content)));
  }

  private HttpResponse<String> post(String auth, String key, JsonObjectBuilder body)
      throws Exception {
    return http().post(CHAT, auth, body.build(), "Idempotency-Key", key);
  }

  /** Upstream chat calls whose body contains {@code marker}. */
  private int upstreamCalls(String marker) {
    return mock.count(
        MockAdmin.request("POST", CHAT)
            .add(
                "bodyPatterns",
                Json.createArrayBuilder().add(Json.createObjectBuilder().add("contains", marker))));
  }

  private long replayRecords() {
    return ((Number)
            jpa.entityManager()
                .createNativeQuery("select count(*) from audit_record where operation = ?1")
                .setParameter(1, SealedAnswers.REPLAY)
                .getSingleResult())
        .longValue();
  }

  private static String replayed(HttpResponse<?> response) {
    return response.headers().firstValue("Idempotent-Replayed").orElse(null);
  }

  @Test
  void theSameKeyReplaysTheRecordedAnswerWithoutASecondUpstreamCallOrCharge() throws Exception {
    String marker = "replay-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();
    long replaysBefore = replayRecords();

    HttpResponse<String> first = post(DEV_USER, key, chat("Hello " + marker));
    HttpResponse<String> second = post(DEV_USER, key, chat("Hello " + marker));

    assertEquals(200, first.statusCode(), first.body());
    assertEquals(null, replayed(first));
    assertEquals(200, second.statusCode(), second.body());
    assertEquals("true", replayed(second));
    assertEquals(first.body(), second.body());
    assertEquals(
        first.headers().firstValue("x-request-id"), second.headers().firstValue("x-request-id"));
    assertEquals(
        first.headers().firstValue("x-warden-model"),
        second.headers().firstValue("x-warden-model"));
    assertTrue(WardenHttp.json(second).getJsonArray("choices").size() > 0);
    assertEquals(1, upstreamCalls(marker), "one upstream call");
    // one call finished, so one usage entry and one call record: the replay charged nothing
    assertEquals(1, callLog.calls().size());
    assertEquals(replaysBefore + 1, replayRecords(), "the replay is in the audit log");
  }

  @Test
  void theSameKeyWithAnotherBodyIsRefused() throws Exception {
    String marker = "reused-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();

    assertEquals(200, post(DEV_USER, key, chat("First " + marker)).statusCode());
    HttpResponse<String> other = post(DEV_USER, key, chat("Second " + marker));

    assertEquals(409, other.statusCode(), other.body());
    JsonObject error = WardenHttp.json(other).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("idempotency_key_reused", error.getString("code"));
    assertEquals("false", other.headers().firstValue("x-should-retry").orElse(null));
    assertEquals(1, upstreamCalls(marker));
  }

  @Test
  void anotherPrincipalsSameKeyIsIndependent() throws Exception {
    String marker = "scoped-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();

    HttpResponse<String> mine = post(DEV_USER, key, chat("Hi " + marker));
    HttpResponse<String> theirs = post(USER_2, key, chat("Hi " + marker));

    assertEquals(200, mine.statusCode());
    assertEquals(200, theirs.statusCode());
    assertEquals(null, replayed(theirs));
    assertNotEquals(
        mine.headers().firstValue("x-request-id"), theirs.headers().firstValue("x-request-id"));
    assertEquals(2, upstreamCalls(marker));
  }

  @Test
  void aKeyStillInFlightIsRefusedAndNeverCallsUpstreamTwice() throws Exception {
    String marker = "inflight-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();
    mock.stub(
        MockAdmin.request("POST", CHAT)
            .add(
                "bodyPatterns",
                Json.createArrayBuilder().add(Json.createObjectBuilder().add("contains", marker))),
        Json.createObjectBuilder()
            .add("transformers", Json.createArrayBuilder().add("openai-mock"))
            .add("fixedDelayMilliseconds", 10000));

    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post(DEV_USER, key, chat("Slow " + marker));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await()
        .pollInSameThread() // the persistence context needs a container thread
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ((Number)
                            jpa.entityManager()
                                .createNativeQuery(
                                    "select count(*) from idempotent_request where state ="
                                        + " 'IN_PROGRESS'")
                                .getSingleResult())
                        .longValue()
                    > 0);
    HttpResponse<String> during = post(DEV_USER, key, chat("Slow " + marker));

    assertEquals(409, during.statusCode(), during.body());
    assertEquals(
        "idempotency_key_in_progress",
        WardenHttp.json(during).getJsonObject("error").getString("code"));
    HttpResponse<String> done = first.get(30, TimeUnit.SECONDS);
    assertEquals(200, done.statusCode(), done.body());
    HttpResponse<String> after = post(DEV_USER, key, chat("Slow " + marker));
    assertEquals("true", replayed(after));
    assertEquals(done.body(), after.body());
    assertEquals(1, upstreamCalls(marker));
  }

  @Test
  void aFailedCallReleasesItsKey() throws Exception {
    String marker = "failed-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();
    mock.stubTimes(
        1,
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(400, "invalid_request_error", "bad", "refused once for the test"));

    HttpResponse<String> failed = post(DEV_USER, key, chat("Try " + marker));
    HttpResponse<String> retried = post(DEV_USER, key, chat("Try " + marker));

    assertEquals(400, failed.statusCode(), failed.body());
    assertEquals(200, retried.statusCode(), retried.body());
    assertEquals(null, replayed(retried));
    assertEquals(2, upstreamCalls(marker));
  }

  @Test
  void aStreamIsRecordedAndReplayedAsTheSameEvents() throws Exception {
    String marker = "stream-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();
    JsonObjectBuilder body = chat("Stream to me " + marker).add("stream", true);

    HttpResponse<String> first = post(DEV_USER, key, body);
    HttpResponse<String> second =
        post(DEV_USER, key, chat("Stream to me " + marker).add("stream", true));

    assertEquals(200, first.statusCode(), first.body());
    assertTrue(first.body().contains("data: [DONE]"), first.body());
    assertEquals("true", replayed(second));
    assertTrue(
        second.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertEquals(first.body().replace(": keep-alive\n\n", ""), second.body());
    assertEquals(1, upstreamCalls(marker));
  }

  @Test
  void erasingTheDataSubjectRemovesTheirReplays() throws Exception {
    String marker = "erased-" + UUID.randomUUID();
    String subject = "subject-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();

    HttpResponse<String> first =
        post(DEV_USER, key, chat("Mine " + marker).add("safety_identifier", subject));
    assertEquals(
        "true",
        replayed(post(DEV_USER, key, chat("Mine " + marker).add("safety_identifier", subject))));
    erasure.erase("default", subject);
    HttpResponse<String> afterErasure =
        post(DEV_USER, key, chat("Mine " + marker).add("safety_identifier", subject));

    assertEquals(200, first.statusCode());
    assertEquals(200, afterErasure.statusCode(), afterErasure.body());
    assertEquals(null, replayed(afterErasure), "the erased answer is not replayed");
    assertEquals(2, upstreamCalls(marker));
  }

  @Test
  void aKeyTooLongIsRefusedInOpenAisFormat() throws Exception {
    HttpResponse<String> response = post(DEV_USER, "k".repeat(256), chat("long key"));

    assertEquals(400, response.statusCode(), response.body());
    JsonObject error = WardenHttp.json(response).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("invalid_idempotency_key", error.getString("code"));
    assertEquals(0, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  void expiredKeysArePurgedAndNotReplayed() throws Exception {
    String marker = "expired-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();
    assertEquals(200, post(DEV_USER, key, chat("Old " + marker)).statusCode());
    // the window has passed for every recorded key
    tx.begin();
    try {
      jpa.entityManager()
          .createNativeQuery("update idempotent_request set expires_at = created_at")
          .executeUpdate();
      tx.commit();
    } catch (Exception | Error e) {
      tx.rollback();
      throw e;
    }

    HttpResponse<String> again = post(DEV_USER, key, chat("Old " + marker));
    assertEquals(null, replayed(again), "an expired key is not replayed");
    assertEquals(2, upstreamCalls(marker));
    tx.begin();
    try {
      jpa.entityManager()
          .createNativeQuery("update idempotent_request set expires_at = created_at")
          .executeUpdate();
      tx.commit();
    } catch (Exception | Error e) {
      tx.rollback();
      throw e;
    }
    assertTrue(purge.purge() > 0);
    assertEquals(
        0L,
        ((Number)
                jpa.entityManager()
                    .createNativeQuery("select count(*) from idempotent_request")
                    .getSingleResult())
            .longValue());
  }

  @Test
  void anAiServiceSendsTheSameIdempotencyKeyOnEveryRetryOfOneInvocation() {
    mock.stubTimes(
        2,
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(503, "server_error", null, "overloaded for the test"));

    String reply = desk.replier().reply("Ada", "Hello?");

    assertTrue(reply.startsWith("Mock answer to: Customer: Ada"), reply);
    List<String> keys = idempotencyKeys();
    assertEquals(3, keys.size(), "three attempts: " + keys);
    assertEquals(1, new HashSet<>(keys).size(), "one key on every attempt: " + keys);
    assertNotNull(keys.get(0));

    // another invocation is another request: another key
    mock.reset();
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(503, "server_error", null, "overloaded for the test"));
    assertThrows(ServerErrorException.class, () -> desk.replier().reply("Bob", "Hello?"));
    Set<String> next = new HashSet<>(idempotencyKeys());
    assertEquals(1, next.size(), "one key on every attempt: " + next);
    assertFalse(next.contains(keys.get(0)));
  }

  /** The {@code Idempotency-Key} of every upstream chat call, as the mock received them. */
  private List<String> idempotencyKeys() {
    return mock.find(MockAdmin.request("POST", CHAT)).stream()
        .map(r -> header(r.getJsonObject("headers"), "Idempotency-Key"))
        .toList();
  }

  private static String header(JsonObject headers, String name) {
    for (String h : headers.keySet()) {
      if (h.equalsIgnoreCase(name)) {
        return headers.get(h) instanceof jakarta.json.JsonString s
            ? s.getString()
            : headers.getJsonArray(h).getString(0);
      }
    }
    return null;
  }
}
