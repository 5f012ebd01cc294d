package dev.warden.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.call.Caller;
import dev.warden.call.refusal.RateLimitRefusal;
import dev.warden.openai.error.AuthenticationException;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Inside Liberty: prices and limits as OpenAI applies them. The upstream's {@code x-ratelimit-*}
 * headers pace the next call (the wait recorded by the sleeper, not slept) or refuse it before
 * sending; tokens per day; an upstream 401 raises the operator alert (metric, webhook) and the
 * caller gets a clear error.
 */
class UpstreamLimitsIT extends WardenIntegrationTest {

  @Inject CostRows rows;

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  /** A fixed chat completion answer of {@code model} with these rate-limit headers. */
  private static jakarta.json.JsonObjectBuilder answerWith(String model, String... headers) {
    JsonObject body =
        Json.createObjectBuilder()
            .add("id", "chatcmpl-paced")
            .add("object", "chat.completion")
            .add("created", 1_700_000_000)
            .add("model", model)
            .add(
                "choices",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("index", 0)
                            .add(
                                "message",
                                Json.createObjectBuilder()
                                    .add("role", "assistant")
                                    .add("content", "Paced answer"))
                            .add("finish_reason", "stop")))
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("prompt_tokens", 10)
                    .add("completion_tokens", 2)
                    .add("total_tokens", 12))
            .build();
    var h = Json.createObjectBuilder().add("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return Json.createObjectBuilder()
        .add("status", 200)
        .add("headers", h)
        .add("body", body.toString());
  }

  private static JsonObject chatBody(String model) {
    return Json.createObjectBuilder()
        .add("model", model)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", "Hello")))
        .build();
  }

  @Test
  void aNearlySpentUpstreamLimitDelaysTheNextCallUntilItsReset() {
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4.1-nano"),
        answerWith(
            "gpt-4.1-nano",
            "x-ratelimit-limit-requests",
            "500",
            "x-ratelimit-remaining-requests",
            "0",
            "x-ratelimit-reset-requests",
            "1.5s",
            "x-ratelimit-limit-tokens",
            "200000",
            "x-ratelimit-remaining-tokens",
            "150000",
            "x-ratelimit-reset-tokens",
            "20ms"));

    openAi.chat(ask("gpt-4.1-nano", "First"));
    assertEquals(List.of(), sleeper.slept(), "nothing known yet: no wait");

    openAi.chat(ask("gpt-4.1-nano", "Second"));

    List<Duration> slept = sleeper.slept();
    assertEquals(1, slept.size(), slept.toString());
    // the reset the upstream announced, less the time the first answer took to come back
    assertTrue(
        slept.get(0).compareTo(Duration.ZERO) > 0
            && slept.get(0).compareTo(Duration.ofMillis(1500)) <= 0,
        slept.toString());
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)));
    // another model is not paced
    openAi.chat(ask("gpt-4o-mini", "Other model"));
    assertEquals(1, sleeper.slept().size());
  }

  @Test
  void aResetBeyondTheLongestWaitIsRefusedOnV1WithRetryAfterAndNothingSent() throws Exception {
    // a snapshot no other test uses: what the upstream said stays known for six minutes
    String snapshot = "gpt-4.1-2025-04-14";
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), snapshot),
        answerWith(
            snapshot,
            "x-ratelimit-remaining-requests",
            "100",
            "x-ratelimit-reset-requests",
            "1s",
            "x-ratelimit-limit-tokens",
            "30000",
            "x-ratelimit-remaining-tokens",
            "0",
            "x-ratelimit-reset-tokens",
            "6m0s"));
    HttpResponse<String> first =
        http().post("v1/chat/completions", TestCredentials.DEV_USER_BEARER, chatBody(snapshot));
    assertEquals(200, first.statusCode(), first.body());

    HttpResponse<String> refused =
        http().post("v1/chat/completions", TestCredentials.DEV_USER_BEARER, chatBody(snapshot));

    assertEquals(429, refused.statusCode(), refused.body());
    JsonObject error = WardenHttp.json(refused).getJsonObject("error");
    assertEquals("rate_limit_exceeded", error.getString("code"));
    assertEquals("tokens", error.getString("type"));
    long retryAfter = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
    assertTrue(retryAfter > 300 && retryAfter <= 360, "retry-after " + retryAfter);
    assertEquals(1, mock.count(MockAdmin.request("POST", CHAT)), "the refused call was not sent");
    assertEquals(List.of(), sleeper.slept(), "refused at once, no wait");
  }

  @Test
  void tokensPerDayRefuseWithRetryAfter() {
    // tpd-it: 300 tokens per day (pom.xml); each call counts its input plus 100 requested output
    Caller caller = Caller.of("tpd-it");
    rows.forget("tpd-it"); // a day's count of an earlier run on the same database
    var request = ask("gpt-4o-mini", "Hello").toBuilder().maxCompletionTokens(100).build();
    Caller.runAs(caller, () -> openAi.chat(request));
    Caller.runAs(caller, () -> openAi.chat(request));

    RateLimitRefusal refused =
        assertThrows(
            RateLimitRefusal.class, () -> Caller.runAs(caller, () -> openAi.chat(request)));

    assertEquals(429, refused.status());
    assertEquals("rate_limit_exceeded", refused.code());
    assertEquals("tokens", refused.type());
    assertTrue(refused.getMessage().contains("tokens per day: limit 300"), refused.getMessage());
    // about a day: the memory store (H2) frees the tokens a day after the end of the minute they
    // were counted in, the database store (PostgreSQL) refills the day's bucket a day after its
    // first call
    Duration retryAfter = refused.retryAfter().orElseThrow();
    assertTrue(
        retryAfter.compareTo(Duration.ofHours(24).minusMinutes(2)) > 0
            && retryAfter.compareTo(Duration.ofHours(24).plusMinutes(2)) <= 0,
        retryAfter.toString());
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  void anUpstream401RaisesTheOperatorAlertAndTheCallerGetsAClearError() throws Exception {
    mock.stub(
        MockAdmin.request("POST", "/hooks/budget"), Json.createObjectBuilder().add("status", 204));
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4.1-mini"),
        MockAdmin.error(
            401,
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided: mock-***-key"));
    double before = auth401s();

    HttpResponse<String> r =
        http()
            .post("v1/chat/completions", TestCredentials.DEV_USER_BEARER, chatBody("gpt-4.1-mini"));
    assertThrows(
        AuthenticationException.class, () -> openAi.chat(ask("gpt-4.1-mini", "Java caller")));

    assertEquals(502, r.statusCode(), r.body());
    JsonObject error = WardenHttp.json(r).getJsonObject("error");
    assertEquals("upstream_authentication_failed", error.getString("code"));
    assertEquals("server_error", error.getString("type"));
    assertFalse(r.body().contains("mock-"), "never the upstream's message: " + r.body());
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)), "a 401 is never retried");
    assertEquals(before + 2, auth401s(), "the metric counts each rejection");

    List<JsonObject> posts =
        await("the operator alert posted to the webhook")
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> mock.find(MockAdmin.request("POST", "/hooks/budget")), p -> !p.isEmpty());
    assertEquals(1, posts.size(), "one alert per upstream and period, however many rejections");
    JsonObject alert =
        Json.createReader(new StringReader(posts.get(0).getString("body"))).readObject();
    assertEquals("WARDEN0120E", alert.getString("message_id"));
    assertEquals("upstream.authentication_failed", alert.getString("type"));
    assertEquals("invalid_api_key", alert.getString("code"));
    assertEquals("gpt-4.1-mini", alert.getString("model"));
    assertEquals(
        alert.getString("alert_id"),
        posts.get(0).getJsonObject("headers").getString("Idempotency-Key"));
    assertFalse(posts.get(0).getString("body").contains("mock-"), "no key, no upstream message");
  }

  private double auth401s() throws Exception {
    HttpResponse<String> r = http().get("metrics?scope=application", null);
    assertEquals(200, r.statusCode(), r.body());
    return value(r.body(), "warden_upstream_auth_failures_total", Map.of("model", "gpt-4.1-mini"));
  }

  /** The sum of the samples of {@code name} whose labels include all of {@code labels}. */
  private static double value(String text, String name, Map<String, String> labels) {
    double sum = 0;
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$");
    for (String l : text.split("\n")) {
      Matcher m = line.matcher(l.trim());
      if (m.matches()
          && labels.entrySet().stream()
              .allMatch(e -> m.group(1).contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
