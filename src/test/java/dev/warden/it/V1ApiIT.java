package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Over HTTP, as an OpenAI client sees Warden's {@code /v1}: shapes, headers, and errors. */
class V1ApiIT extends WardenIntegrationTest {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  /** The documented development API key, as an OpenAI SDK sends it. */
  private static final String KEY = TestCredentials.DEV_USER_BEARER;

  private static JsonObject chat(String model, String text) {
    return Json.createObjectBuilder()
        .add("model", model)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "system").add("content", "Be brief."))
                .add(Json.createObjectBuilder().add("role", "user").add("content", text)))
        .build();
  }

  private static void assertOpenAiError(
      HttpResponse<String> response, int status, String type, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonObject error = json(response).getJsonObject("error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("type")).isEqualTo(type);
    if (code != null) {
      assertThat(error.getString("code")).isEqualTo(code);
    }
    assertThat(response.body()).doesNotContain("at dev.warden", "Exception", "mock-upstream-key");
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
  }

  @Test
  void chatCompletionsAnswerInOpenAiShapeWithWardenHeaders() throws Exception {
    HttpResponse<String> response =
        http().post("v1/chat/completions", KEY, chat("gpt-4o-mini", "Hello there"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = json(response);
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("model")).isEqualTo("gpt-4o-mini");
    JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getString("content")).isEqualTo("Mock answer to: Hello there");
    JsonObject usage = body.getJsonObject("usage");
    assertThat(usage.getInt("total_tokens"))
        .isEqualTo(usage.getInt("prompt_tokens") + usage.getInt("completion_tokens"));
    assertThat(usage.getJsonObject("prompt_tokens_details").getInt("cached_tokens")).isZero();
    assertThat(response.headers().firstValue("x-request-id"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("wrd_"));
    assertThat(response.headers().firstValue("x-warden-model")).contains("gpt-4o-mini");
    assertThat(response.headers().firstValue("x-warden-fallback")).contains("none");
    assertThat(response.headers().firstValue("x-warden-attempts")).contains("1");
    assertThat(response.headers().firstValue("x-warden-upstream-request-id"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
  }

  @Test
  void theUpstreamReceivesWardensKeyNotTheCallers() throws Exception {
    http().post("v1/chat/completions", KEY, chat("gpt-4o-mini", "Who am I?"));

    JsonObject received =
        mock.find(MockAdmin.request("POST", "/v1/chat/completions"))
            .get(0)
            .getJsonObject("headers");
    assertThat(received.getString("Authorization")).isEqualTo("Bearer mock-upstream-key");
    assertThat(received.getString("Idempotency-Key")).startsWith("warden-");
  }

  @Test
  void toolsAndStructuredOutputPassThrough() throws Exception {
    JsonObject request =
        Json.createObjectBuilder(chat("gpt-4o", "What's the weather in Oslo?"))
            .add(
                "tools",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("type", "function")
                            .add(
                                "function",
                                Json.createObjectBuilder()
                                    .add("name", "get_weather")
                                    .add("strict", true)
                                    .add(
                                        "parameters",
                                        Json.createObjectBuilder()
                                            .add("type", "object")
                                            .add(
                                                "properties",
                                                Json.createObjectBuilder()
                                                    .add(
                                                        "city",
                                                        Json.createObjectBuilder()
                                                            .add("type", "string")))
                                            .add("required", Json.createArrayBuilder().add("city"))
                                            .add("additionalProperties", false)))))
            .add("tool_choice", "auto")
            .build();

    JsonObject body = json(http().post("v1/chat/completions", KEY, request));

    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(call.getJsonObject("function").getString("arguments")).contains("\"city\"");
    // what reached the upstream kept the strict schema
    JsonObject sent =
        Json.createReader(
                new StringReader(
                    mock.find(MockAdmin.request("POST", "/v1/chat/completions"))
                        .get(0)
                        .getString("body")))
            .readObject();
    assertThat(
            sent.getJsonArray("tools")
                .getJsonObject(0)
                .getJsonObject("function")
                .getBoolean("strict"))
        .isTrue();
  }

  @Test
  void responsesAreCreatedRetrievedAndChained() throws Exception {
    HttpResponse<String> created =
        http()
            .post(
                "v1/responses",
                KEY,
                Json.createObjectBuilder()
                    .add("model", "gpt-4.1")
                    .add("instructions", "Answer briefly.")
                    .add("input", "Name a colour")
                    .build());
    assertThat(created.statusCode()).isEqualTo(200);
    JsonObject first = json(created);
    String id = first.getString("id");
    assertThat(first.getString("object")).isEqualTo("response");
    assertThat(first.getString("status")).isEqualTo("completed");

    HttpResponse<String> retrieved = http().get("v1/responses/" + id, KEY);
    assertThat(retrieved.statusCode()).isEqualTo(200);
    assertThat(json(retrieved).getString("id")).isEqualTo(id);

    JsonObject followUp =
        json(
            http()
                .post(
                    "v1/responses",
                    KEY,
                    Json.createObjectBuilder()
                        .add("model", "gpt-4.1")
                        .add("previous_response_id", id)
                        .add("input", "And another")
                        .build()));
    assertThat(followUp.getString("previous_response_id")).isEqualTo(id);
    String text =
        followUp
            .getJsonArray("output")
            .getJsonObject(0)
            .getJsonArray("content")
            .getJsonObject(0)
            .getString("text");
    assertThat(text).isEqualTo("Mock answer to: And another (turn 2)");

    HttpResponse<String> items = http().get("v1/responses/" + id + "/input_items", KEY);
    assertThat(items.statusCode()).isEqualTo(200);
    assertThat(json(items).getString("object")).isEqualTo("list");
  }

  @Test
  void anUnknownResponseIsA404InOpenAiFormat() throws Exception {
    assertOpenAiError(
        http().get("v1/responses/resp_does_not_exist", KEY), 404, "invalid_request_error", null);
  }

  @Test
  void embeddingsPassBase64Untouched() throws Exception {
    JsonObject floats =
        json(
            http()
                .post(
                    "v1/embeddings",
                    KEY,
                    Json.createObjectBuilder()
                        .add("model", "text-embedding-3-small")
                        .add("input", "hello")
                        .add("dimensions", 8)
                        .build()));
    assertThat(floats.getJsonArray("data").getJsonObject(0).getJsonArray("embedding")).hasSize(8);

    JsonObject base64 =
        json(
            http()
                .post(
                    "v1/embeddings",
                    KEY,
                    Json.createObjectBuilder()
                        .add("model", "text-embedding-3-small")
                        .add("input", Json.createArrayBuilder().add("hello").add("world"))
                        .add("dimensions", 8)
                        .add("encoding_format", "base64")
                        .build()));
    JsonValue vector = base64.getJsonArray("data").getJsonObject(0).get("embedding");
    assertThat(vector.getValueType()).isEqualTo(JsonValue.ValueType.STRING);
    assertThat(
            java.util.Base64.getDecoder()
                .decode(base64.getJsonArray("data").getJsonObject(0).getString("embedding")))
        .hasSize(8 * 4);
    assertThat(base64.getJsonArray("data")).hasSize(2);
  }

  @Test
  void modelsAreListed() throws Exception {
    JsonObject models = json(http().get("v1/models", KEY));
    assertThat(models.getString("object")).isEqualTo("list");
    assertThat(models.getJsonArray("data").stream().map(m -> m.asJsonObject().getString("id")))
        .contains("gpt-4o", "gpt-4o-mini", "text-embedding-3-small");
  }

  @Test
  void malformedJsonIsA400() throws Exception {
    assertOpenAiError(
        http().postJson(CHAT, KEY, "{\"model\": \"gpt-4o\", \"messages\": ["),
        400,
        "invalid_request_error",
        null);
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isZero();
  }

  @Test
  void wrongTypesAreA400() throws Exception {
    assertOpenAiError(
        http().postJson(CHAT, KEY, "{\"model\": 42, \"messages\": \"hi\"}"),
        400,
        "invalid_request_error",
        null);
  }

  @Test
  void aMissingModelIsRefusedBeforeAnyUpstreamCall() throws Exception {
    HttpResponse<String> response =
        http()
            .post(
                "v1/chat/completions",
                KEY,
                Json.createObjectBuilder()
                    .add(
                        "messages",
                        Json.createArrayBuilder()
                            .add(
                                Json.createObjectBuilder()
                                    .add("role", "user")
                                    .add("content", "hi")))
                    .build());
    assertOpenAiError(response, 400, "invalid_request_error", null);
    assertThat(json(response).getJsonObject("error").getString("param")).isEqualTo("model");
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isZero();
  }

  @Test
  void anUnknownPathAndAWrongMediaTypeAreClear4xx() throws Exception {
    assertOpenAiError(
        http().get("v1/nothing-here", KEY), 404, "invalid_request_error", "not_found");
    HttpResponse<String> text =
        http().post(CHAT, KEY, "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(text.statusCode()).isEqualTo(415);
  }

  @Test
  void anUpstreamAuthFailureIsABadGatewayWithoutTheUpstreamsMessage() throws Exception {
    mock.stub(
        MockAdmin.request("POST", "/v1/chat/completions"),
        MockAdmin.error(
            401,
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided: mock-upstream-key"));

    HttpResponse<String> response = http().post("v1/chat/completions", KEY, chat("gpt-4o", "hi"));

    assertOpenAiError(response, 502, "server_error", "upstream_authentication_failed");
    assertThat(response.headers().firstValue("x-should-retry")).contains("false");
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isEqualTo(1);
  }

  @Test
  void exhaustedQuotaIsA429ThatSdksMustNotRetry() throws Exception {
    mock.stub(
        MockAdmin.request("POST", "/v1/chat/completions"),
        MockAdmin.error(
            429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota"));

    HttpResponse<String> response = http().post("v1/chat/completions", KEY, chat("gpt-4o", "hi"));

    assertOpenAiError(response, 429, "insufficient_quota", "insufficient_quota");
    assertThat(response.headers().firstValue("x-should-retry")).contains("false");
  }
}
