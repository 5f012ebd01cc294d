package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.Answer;
import dev.warden.call.FallbackKind;
import dev.warden.openai.error.AuthenticationException;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ConnectionPoolExhaustedException;
import dev.warden.openai.error.QuotaExceededException;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Inside Liberty: the injected client against the mock upstream with faults layered on top. Asserts
 * how many attempts reached the upstream, which delays were chosen (recorded, not slept), and what
 * the caller sees. Keeps its retriable failures below the circuit breaker's request volume, so the
 * breaker (tested in {@link CircuitBreakerIT}) stays closed here.
 */
class ResilienceIT extends WardenIntegrationTest {

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private static ChatCompletionRequest ask(String model) {
    return ask(model, "What is Warden?");
  }

  private static JsonObject rateLimitBody() {
    return Json.createObjectBuilder()
        .add(
            "error",
            Json.createObjectBuilder()
                .add("message", "Rate limit reached")
                .add("type", "requests")
                .add("code", "rate_limit_exceeded"))
        .build();
  }

  @Test
  void retryAfterOfTwoSecondsOnA429IsRespected() {
    mock.stubTimes(
        1,
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4o"),
        Json.createObjectBuilder()
            .add("status", 429)
            .add(
                "headers",
                Json.createObjectBuilder()
                    .add("Content-Type", "application/json")
                    .add("Retry-After", "2"))
            .add("body", rateLimitBody().toString()));

    Answer<ChatCompletion> answer = openAi.chat(ask("gpt-4o"));

    assertEquals(2, answer.attempts());
    assertEquals(FallbackKind.NONE, answer.fallback());
    assertTrue(answer.body().firstText().startsWith("Mock answer to: What is Warden?"));
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)));
    List<Duration> slept = sleeper.slept();
    assertEquals(1, slept.size());
    // the server's hint, plus up to 10 % of it at the default full jitter
    assertTrue(
        slept.get(0).compareTo(Duration.ofSeconds(2)) >= 0
            && slept.get(0).compareTo(Duration.ofMillis(2200)) <= 0,
        "waited " + slept.get(0));
    assertEquals(answer.retryDelays(), slept);
  }

  @Test
  void theIdempotencyKeyStaysTheSameAcrossRetriesOfOneCall() {
    mock.stubTimes(
        2,
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(503, "server_error", null, "overloaded"));

    openAi.chat(ask("gpt-4o"));
    openAi.chat(ask("gpt-4o"));

    List<JsonObject> requests = mock.find(MockAdmin.request("POST", CHAT));
    assertEquals(4, requests.size());
    Map<String, Integer> perKey = new TreeMap<>();
    for (JsonObject r : requests) {
      perKey.merge(r.getJsonObject("headers").getString("Idempotency-Key"), 1, Integer::sum);
    }
    // the first call (two 503s, then success) used one key three times; the second call a new one
    assertEquals(List.of(1, 3), perKey.values().stream().sorted().toList(), perKey.toString());
  }

  @Test
  void a429WithoutRetryAfterBacksOffExponentiallyWithJitter() {
    mock.stubTimes(
        2,
        MockAdmin.request("POST", CHAT),
        Json.createObjectBuilder()
            .add("status", 429)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", rateLimitBody().toString()));

    Answer<ChatCompletion> answer = openAi.chat(ask("gpt-4o"));

    assertEquals(3, answer.attempts());
    List<Duration> slept = sleeper.slept();
    assertEquals(2, slept.size());
    // the defaults: 1 s, then 2 s, with full jitter (uniformly random below the step)
    assertBetween(slept.get(0), 0, 1000);
    assertBetween(slept.get(1), 0, 2000);
  }

  @Test
  void a401IsAttemptedExactlyOnceAndNeverFallsBack() {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key"));

    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> openAi.chat(ask("gpt-4o")));

    assertEquals(401, e.status());
    assertEquals(1, mock.count(MockAdmin.request("POST", CHAT)));
    assertTrue(sleeper.slept().isEmpty());
  }

  @Test
  void a400IsNotRetried() {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(400, "invalid_request_error", null, "Invalid value for 'temperature'"));

    assertThrows(BadRequestException.class, () -> openAi.chat(ask("gpt-4o")));
    assertEquals(1, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  void insufficientQuotaIsNotRetriedUnlikeARateLimit() {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(
            429, "insufficient_quota", "insufficient_quota", "You exceeded your quota"));

    assertThrows(QuotaExceededException.class, () -> openAi.chat(ask("gpt-4o")));
    assertEquals(1, mock.count(MockAdmin.request("POST", CHAT)));
    assertTrue(sleeper.slept().isEmpty());
  }

  @Test
  void aReadTimeoutIsRetriedAndTheReadTimeoutIsPerModel() {
    // slow-model has a 0.5 s read timeout in the IT server; gpt-4o keeps the 60 s default.
    mock.stubTimes(
        1,
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "slow-model"),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("fixedDelayMilliseconds", 3000)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", "{}"));

    Answer<ChatCompletion> answer = openAi.chat(ask("slow-model"));

    assertEquals(2, answer.attempts());
    assertTrue(answer.body().firstText().startsWith("Mock answer to:"));
    assertEquals(FallbackKind.NONE, answer.fallback());
  }

  @Test
  void aResetConnectionIsRetried() {
    mock.stubTimes(
        1,
        MockAdmin.request("POST", CHAT),
        Json.createObjectBuilder().add("fault", "CONNECTION_RESET_BY_PEER"));

    Answer<ChatCompletion> answer = openAi.chat(ask("gpt-4o"));

    assertEquals(2, answer.attempts());
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  void malformedJsonFromTheUpstreamIsRetried() {
    mock.stubTimes(
        1,
        MockAdmin.request("POST", CHAT),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", "{\"id\": \"chatcmpl-1\", \"choices\": [ {\"index\": "));

    Answer<ChatCompletion> answer = openAi.chat(ask("gpt-4o"));

    assertEquals(2, answer.attempts());
    assertTrue(answer.body().firstText().startsWith("Mock answer to:"));
  }

  @Test
  void aSaturatedConnectionPoolFailsFast() throws Exception {
    // The IT server allows 4 upstream connections and waits 0.2 s for one.
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "pool-model"),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("fixedDelayMilliseconds", 1500)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add(
                "body",
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"pool-model\",\"choices\":[]}"));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Answer<ChatCompletion>>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  return openAi.chat(ask("pool-model"));
                }));
      }
      go.countDown();
      int ok = 0;
      int refused = 0;
      for (Future<Answer<ChatCompletion>> call : calls) {
        try {
          call.get(30, TimeUnit.SECONDS);
          ok++;
        } catch (ExecutionException e) {
          assertTrue(
              e.getCause() instanceof ConnectionPoolExhaustedException,
              "unexpected " + e.getCause());
          refused++;
        }
      }
      assertEquals(4, ok);
      assertEquals(2, refused);
      assertEquals(4, mock.count(MockAdmin.request("POST", CHAT)));
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertBetween(Duration d, long minMillis, long maxMillis) {
    assertTrue(
        d.toMillis() >= minMillis && d.toMillis() <= maxMillis,
        d + " not in [" + minMillis + ", " + maxMillis + "] ms");
  }
}
