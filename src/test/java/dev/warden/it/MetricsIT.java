package dev.warden.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.call.Caller;
import dev.warden.openai.model.EmbeddingRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Metrics: after calls through the pipeline, the Prometheus text at {@code /metrics} shows them:
 * calls and latency by model and outcome, tokens, cost, the prompt-cache ratio, retries, fallbacks,
 * the circuit breaker and what is left of a tenant's budget; and no series is labelled with a
 * principal or an API key id ({@code /metrics} is open to the scraper).
 */
class MetricsIT extends WardenIntegrationTest {

  /** A principal and a tenant that both have a daily budget on the IT server (pom.xml). */
  private static final Caller CALLER = new Caller("metrics-it", "metrics-it-tenant", null);

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = http().get("metrics?scope=application", null);
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  /** What is left of metrics-it-tenant's daily budget, as the gauge shows it. */
  private static double budgetLeft(String text) {
    return value(
        text,
        "warden_budget_remaining_usd",
        Map.of("tenant", "metrics-it-tenant", "period", "daily"));
  }

  /** The sum of the samples of {@code name} whose labels include all of {@code labels}. */
  static double value(String text, String name, Map<String, String> labels) {
    double sum = 0;
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$");
    for (String l : text.split("\n")) {
      Matcher m = line.matcher(l.trim());
      if (!m.matches()) {
        continue;
      }
      boolean all = true;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        all &= m.group(1).contains(e.getKey() + "=\"" + e.getValue() + "\"");
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  @Test
  void callsShowInTheMetrics() throws Exception {
    String before = scrape();
    Map<String, String> ok =
        Map.of("model", "gpt-4o-mini", "operation", "chat.completions", "outcome", "succeeded");

    Caller.runAs(CALLER, () -> openAi.chat(ask("gpt-4o-mini", "Count me")));
    Caller.runAs(CALLER, () -> openAi.streamChat(ask("gpt-4o-mini", "Stream me"), text -> {}));
    Caller.runAs(
        CALLER, () -> openAi.embed(EmbeddingRequest.of("text-embedding-3-small", "Embed me")));
    // one retriable failure, then an answer: one retry
    mock.stubTimes(
        1,
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4.1"),
        MockAdmin.error(500, "server_error", null, "boom"));
    Caller.runAs(CALLER, () -> openAi.chat(ask("gpt-4.1", "Retry me")));
    // the requested model keeps failing: retries, then the fallback model answers
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4.1-nano"),
        MockAdmin.error(503, "server_error", null, "down"));
    Caller.runAs(CALLER, () -> openAi.chat(ask("gpt-4.1-nano", "Fall back")));
    // the budget gauges refresh every 0.5 s in the IT server: until one shows metrics-it's spending
    String after =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(200))
            .until(this::scrape, text -> budgetLeft(text) > 0 && budgetLeft(text) < 5);
    assertEquals(
        value(before, "warden_calls_total", ok) + 2,
        value(after, "warden_calls_total", ok),
        "a chat completion and a stream");
    assertTrue(
        value(after, "warden_calls_total", Map.of("operation", "embeddings"))
            > value(before, "warden_calls_total", Map.of("operation", "embeddings")));
    assertTrue(
        value(after, "warden_call_duration_seconds_count", ok)
            >= value(before, "warden_call_duration_seconds_count", ok) + 2);
    assertTrue(
        value(after, "warden_stream_first_event_seconds_count", Map.of("model", "gpt-4o-mini"))
            > value(
                before, "warden_stream_first_event_seconds_count", Map.of("model", "gpt-4o-mini")));
    for (String kind : new String[] {"input", "output"}) {
      Map<String, String> tokens = Map.of("model", "gpt-4o-mini", "kind", kind);
      assertTrue(
          value(after, "warden_tokens_total", tokens)
              > value(before, "warden_tokens_total", tokens),
          kind + " tokens");
    }
    assertTrue(after.contains("warden_tokens_total{kind=\"cached_input\""), after);
    assertTrue(value(after, "warden_cost_usd", Map.of("model", "gpt-4o-mini")) > 0, "cost");
    assertTrue(after.contains("warden_prompt_cache_hit_ratio{"), "cache-hit ratio");
    assertTrue(
        value(after, "warden_retries_total", Map.of("model", "gpt-4.1"))
            >= value(before, "warden_retries_total", Map.of("model", "gpt-4.1")) + 1,
        "retries");
    assertTrue(
        value(after, "warden_fallbacks_total", Map.of("model", "gpt-4.1-nano", "kind", "model"))
            >= value(before, "warden_fallbacks_total", Map.of("model", "gpt-4.1-nano")) + 1,
        "fallbacks");
    assertTrue(after.contains("warden_circuit_open{"), "breaker state");
    // the database is there: nothing waits in the audit journal
    assertTrue(after.contains("warden_audit_journal_batches{"), "audit journal gauge");
    assertEquals(0, value(after, "warden_audit_journal_batches", Map.of()), "audit journal");
  }

  @Test
  void noSeriesNamesAPrincipalOrAnApiKey() throws Exception {
    // metrics-it has a user budget too, and dev-user calls with its API key: neither may label a
    // series
    Caller.runAs(CALLER, () -> openAi.chat(ask("gpt-4o-mini", "Label me")));
    HttpResponse<String> byKey =
        http()
            .post(
                "v1/chat/completions",
                TestCredentials.DEV_USER_BEARER,
                jakarta.json.Json.createObjectBuilder()
                    .add("model", "gpt-4o-mini")
                    .add(
                        "messages",
                        jakarta.json.Json.createArrayBuilder()
                            .add(
                                jakarta.json.Json.createObjectBuilder()
                                    .add("role", "user")
                                    .add("content", "Key me")))
                    .build());
    assertEquals(200, byKey.statusCode(), byKey.body());
    String text =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(200))
            .until(this::scrape, t -> budgetLeft(t) > 0 && budgetLeft(t) < 5);
    Pattern label = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    for (String line : text.split("\n")) {
      if (!line.startsWith("warden_") || !line.contains("{")) {
        continue;
      }
      Matcher m = label.matcher(line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1));
      while (m.find()) {
        assertTrue(
            Set.of(
                    "model",
                    "operation",
                    "outcome",
                    "kind",
                    "error_type",
                    "tenant",
                    "period",
                    "quantile",
                    "mp_scope",
                    "mp_app")
                .contains(m.group(1)),
            "label " + m.group(1) + " in " + line);
        assertFalse(
            Set.of("metrics-it", "dev-user", "devuserkey01").contains(m.group(2)),
            "a principal or key id in " + line);
      }
    }
  }
}
