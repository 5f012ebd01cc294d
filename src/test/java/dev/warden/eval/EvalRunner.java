package dev.warden.eval;

import dev.warden.openai.model.ChatMessage;
import dev.warden.prompt.PromptTemplate;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * Runs a prompt's golden dataset ({@code config/evals/<prompt-id>.jsonl}) against a list of models
 * through an OpenAI-compatible endpoint (Warden's {@code /v1}, so the calls are governed and
 * audited, or the mock upstream in CI) and reports per model: pass rate, tokens and cost, latency.
 *
 * <p>One case a line: {@code {"name": "...", "vars": {"ticket": "..."}, "expect": {...}}}, where
 * {@code expect} holds any of {@code contains}, {@code not_contains}, {@code equals}, {@code
 * matches} (a regular expression found in the output) and {@code json} (an object every one of
 * whose fields the output, read as JSON, must have with the same value). Every check of a case must
 * hold for it to pass.
 */
public final class EvalRunner {

  /** One case of the dataset. */
  public record Case(String name, Map<String, String> vars, JsonObject expect) {}

  /** A model's price in US dollars per million input and output tokens. */
  public record Price(double inputPerMillion, double outputPerMillion) {}

  /** The figures of one model. */
  public record ModelReport(
      String model,
      int cases,
      int passed,
      long inputTokens,
      long outputTokens,
      Double costUsd,
      long p50Millis,
      long maxMillis,
      List<String> failures) {
    public double passRate() {
      return cases == 0 ? 0 : (double) passed / cases;
    }
  }

  private record Answer(int status, String body) {}

  /** Apache HttpClient 5, the HTTP client Warden already depends on. */
  private final CloseableHttpClient http =
      HttpClients.custom()
          .setConnectionManager(
              PoolingHttpClientConnectionManagerBuilder.create()
                  .setDefaultConnectionConfig(
                      ConnectionConfig.custom().setConnectTimeout(10, TimeUnit.SECONDS).build())
                  .build())
          .setDefaultRequestConfig(
              RequestConfig.custom().setResponseTimeout(5, TimeUnit.MINUTES).build())
          .build();

  private final String baseUrl;
  private final String apiKey;

  /**
   * @param baseUrl the OpenAI-compatible base URL, e.g. {@code http://localhost:9080/warden/v1}
   * @param apiKey the bearer token to send
   */
  public EvalRunner(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.apiKey = apiKey;
  }

  /** Parses a JSONL dataset (blank lines and lines starting with {@code //} are skipped). */
  public static List<Case> parse(String jsonl) {
    List<Case> cases = new ArrayList<>();
    int n = 0;
    for (String line : jsonl.split("\n")) {
      n++;
      if (line.isBlank() || line.strip().startsWith("//")) {
        continue;
      }
      JsonObject o;
      try (JsonReader r = Json.createReader(new StringReader(line))) {
        o = r.readObject();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + n + ": not a JSON object", e);
      }
      Map<String, String> vars = new HashMap<>();
      JsonObject v = o.getJsonObject("vars");
      if (v != null) {
        v.forEach((k, value) -> vars.put(k, text(value)));
      }
      JsonObject expect = o.getJsonObject("expect");
      if (expect == null || expect.isEmpty()) {
        throw new IllegalArgumentException("line " + n + ": expect is required");
      }
      cases.add(new Case(o.getString("name", "line " + n), vars, expect));
    }
    return cases;
  }

  /** Runs every case against {@code model}. */
  public ModelReport run(PromptTemplate prompt, List<Case> cases, String model, Price price)
      throws IOException {
    int passed = 0;
    long in = 0;
    long out = 0;
    List<Long> latencies = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      JsonArrayBuilder messages = Json.createArrayBuilder();
      for (ChatMessage m : prompt.render(c.vars())) {
        messages.add(Json.createObjectBuilder().add("role", m.role()).add("content", m.text()));
      }
      String body =
          Json.createObjectBuilder()
              .add("model", model)
              .add("messages", messages)
              .build()
              .toString();
      HttpPost request = new HttpPost(baseUrl + "/chat/completions");
      request.setHeader("Authorization", "Bearer " + apiKey);
      request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
      long start = System.nanoTime();
      Answer response =
          http.execute(
              request,
              r ->
                  new Answer(
                      r.getCode(),
                      r.getEntity() == null
                          ? ""
                          : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8)));
      latencies.add((System.nanoTime() - start) / 1_000_000);
      if (response.status() != 200) {
        failures.add(c.name() + ": HTTP " + response.status());
        continue;
      }
      JsonObject answer;
      try (JsonReader r = Json.createReader(new StringReader(response.body()))) {
        answer = r.readObject();
      }
      JsonObject usage = answer.getJsonObject("usage");
      if (usage != null) {
        in += usage.getJsonNumber("prompt_tokens").longValue();
        out += usage.getJsonNumber("completion_tokens").longValue();
      }
      String text =
          answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").isNull("content")
              ? ""
              : answer
                  .getJsonArray("choices")
                  .getJsonObject(0)
                  .getJsonObject("message")
                  .getString("content");
      String why = check(c.expect(), text);
      if (why == null) {
        passed++;
      } else {
        failures.add(c.name() + ": " + why);
      }
    }
    latencies.sort(null);
    Double cost =
        price == null
            ? null
            : in / 1e6 * price.inputPerMillion() + out / 1e6 * price.outputPerMillion();
    return new ModelReport(
        model,
        cases.size(),
        passed,
        in,
        out,
        cost,
        latencies.isEmpty() ? 0 : latencies.get((latencies.size() - 1) / 2),
        latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
        failures);
  }

  /** Why {@code output} fails {@code expect}, {@code null} when it passes. */
  static String check(JsonObject expect, String output) {
    if (expect.containsKey("contains") && !output.contains(expect.getString("contains"))) {
      return "does not contain \"" + expect.getString("contains") + "\"";
    }
    if (expect.containsKey("not_contains") && output.contains(expect.getString("not_contains"))) {
      return "contains \"" + expect.getString("not_contains") + "\"";
    }
    if (expect.containsKey("equals") && !output.equals(expect.getString("equals"))) {
      return "is not equal to the expected text";
    }
    if (expect.containsKey("matches")
        && !Pattern.compile(expect.getString("matches")).matcher(output).find()) {
      return "does not match /" + expect.getString("matches") + "/";
    }
    if (expect.containsKey("json")) {
      JsonObject actual;
      try (JsonReader r = Json.createReader(new StringReader(output))) {
        actual = r.readObject();
      } catch (RuntimeException e) {
        return "is not a JSON object";
      }
      for (Map.Entry<String, JsonValue> e : expect.getJsonObject("json").entrySet()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) {
          return "field "
              + e.getKey()
              + " is "
              + actual.get(e.getKey())
              + ", expected "
              + e.getValue();
        }
      }
    }
    return null;
  }

  /** The report as a table, one line per model. */
  public static String table(String promptLabel, List<ModelReport> reports) {
    StringBuilder sb = new StringBuilder();
    sb.append("eval ").append(promptLabel).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "%-24s %6s %9s %10s %10s %10s %8s %8s%n",
            "model",
            "cases",
            "pass rate",
            "tokens in",
            "tokens out",
            "cost USD",
            "p50 ms",
            "max ms"));
    for (ModelReport r : reports) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-24s %6d %8.1f%% %10d %10d %10s %8d %8d%n",
              r.model(),
              r.cases(),
              r.passRate() * 100,
              r.inputTokens(),
              r.outputTokens(),
              r.costUsd() == null ? "-" : String.format(Locale.ROOT, "%.6f", r.costUsd()),
              r.p50Millis(),
              r.maxMillis()));
      for (String f : r.failures()) {
        sb.append("    failed ").append(f).append('\n');
      }
    }
    return sb.toString();
  }

  private static String text(JsonValue v) {
    return v.getValueType() == JsonValue.ValueType.STRING
        ? ((jakarta.json.JsonString) v).getString()
        : v.toString();
  }
}
