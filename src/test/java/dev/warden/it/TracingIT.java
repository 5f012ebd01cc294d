package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.mock.MockOpenAiServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Traces: the IT server runs with the OpenTelemetry SDK on and exports spans as Zipkin JSON to the
 * mock (see the pom). Each model call has one CLIENT span named after the GenAI semantic
 * conventions, carrying {@code gen_ai.*} and {@code warden.*} attributes, a child of the HTTP
 * server span, and no prompt or output content.
 */
class TracingIT extends WardenIntegrationTest {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private HttpResponse<String> chat(String json) throws Exception {
    return http().postJson(CHAT, TestCredentials.DEV_USER, json);
  }

  /** Every exported span, as Zipkin JSON v2 objects. */
  private List<JsonObject> spans() {
    List<JsonObject> spans = new ArrayList<>();
    for (JsonObject request : mock.find(MockAdmin.request("POST", MockOpenAiServer.ZIPKIN_SPANS))) {
      JsonArray batch = Json.createReader(new StringReader(request.getString("body"))).readArray();
      batch.forEach(s -> spans.add(s.asJsonObject()));
    }
    return spans;
  }

  private static String tag(JsonObject span, String key) {
    JsonObject tags = span.getJsonObject("tags");
    return tags == null || !tags.containsKey(key) ? null : tags.getString(key);
  }

  /** The span of the call with this Warden request id, waiting for the exporter's batch. */
  private JsonObject spanOf(String requestId) {
    return await(
        s -> requestId.equals(tag(s, "warden.request_id")), "warden.request_id " + requestId);
  }

  private JsonObject spanNamed(String name) {
    return await(s -> name.equals(s.getString("name")), "name " + name);
  }

  private JsonObject await(Predicate<JsonObject> which, String what) {
    return Awaitility.await("a span with " + what)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> spans().stream().filter(which).findFirst(), Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void aChatCompletionHasAGenAiSpanWithoutContent() throws Exception {
    HttpResponse<String> answer =
        chat(
            "{\"model\":\"gpt-4o-mini\",\"temperature\":0.3,\"max_tokens\":50,"
                + "\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Remind trace-marker-7Q about jane.trace@example.org\"}]}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    String requestId = answer.headers().firstValue("x-request-id").orElseThrow();

    JsonObject span = spanOf(requestId);
    assertThat(span.getString("name")).isEqualTo("chat gpt-4o-mini");
    assertThat(span.getString("kind")).isEqualTo("CLIENT");
    assertThat(span.containsKey("parentId")).as("a child of the HTTP server span").isTrue();
    assertThat(tag(span, "gen_ai.operation.name")).isEqualTo("chat");
    assertThat(tag(span, "gen_ai.provider.name")).isEqualTo("openai");
    assertThat(tag(span, "gen_ai.request.model")).isEqualTo("gpt-4o-mini");
    assertThat(tag(span, "gen_ai.response.model")).startsWith("gpt-4o-mini");
    assertThat(tag(span, "gen_ai.response.id")).isNotBlank();
    assertThat(tag(span, "gen_ai.request.max_tokens")).isEqualTo("50");
    assertThat(tag(span, "gen_ai.request.temperature")).isEqualTo("0.3");
    assertThat(Long.parseLong(tag(span, "gen_ai.usage.input_tokens"))).isPositive();
    assertThat(Long.parseLong(tag(span, "gen_ai.usage.output_tokens"))).isPositive();
    assertThat(tag(span, "gen_ai.response.finish_reasons")).contains("stop");
    assertThat(tag(span, "warden.outcome")).isEqualTo("succeeded");
    assertThat(tag(span, "warden.attempts")).isEqualTo("1");
    assertThat(tag(span, "warden.retries")).isEqualTo("0");
    assertThat(tag(span, "warden.fallback")).isEqualTo("none");
    assertThat(tag(span, "warden.cost_usd")).isNotNull();
    assertThat(tag(span, "warden.pii.types")).isEqualTo("EMAIL");
    assertThat(tag(span, "error.type")).isNull();
    assertThat(tag(span, "gen_ai.input.messages")).isNull();
    assertThat(tag(span, "gen_ai.output.messages")).isNull();

    // the upstream attempt is a child of the model call's span (the REST client's HTTP span)
    String spanId = span.getString("id");
    assertThat(spans()).anySatisfy(s -> assertThat(s.getString("parentId", "")).isEqualTo(spanId));

    // no content anywhere in what was exported
    for (JsonObject s : spans()) {
      assertThat(s.toString()).doesNotContain("trace-marker-7Q").doesNotContain("jane.trace");
    }
  }

  @Test
  void aFailedCallAndAStreamAreTracedToo() throws Exception {
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", "/v1/chat/completions"), "gpt-4.1"),
        MockAdmin.error(400, "invalid_request_error", "bad_thing", "no"));
    HttpResponse<String> failed =
        chat("{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(failed.statusCode()).isEqualTo(400);
    // an error answer's x-request-id is not the call's (ErrorResponses makes a new one): find the
    // span by its model
    JsonObject error = spanNamed("chat gpt-4.1");
    assertThat(tag(error, "error.type")).isEqualTo("BadRequestException");
    assertThat(tag(error, "warden.outcome")).isEqualTo("failed");
    assertThat(tag(error, "otel.status_code")).isEqualTo("ERROR");

    HttpResponse<String> streamed =
        chat(
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"stream please\"}]}");
    assertThat(streamed.statusCode()).isEqualTo(200);
    JsonObject stream = spanOf(streamed.headers().firstValue("x-request-id").orElseThrow());
    assertThat(tag(stream, "warden.streamed")).isEqualTo("true");
    assertThat(tag(stream, "warden.time_to_first_event_ms")).isNotNull();
    assertThat(Long.parseLong(tag(stream, "gen_ai.usage.output_tokens"))).isPositive();
    assertThat(stream.getJsonNumber("duration").longValue()).isPositive();
  }
}
