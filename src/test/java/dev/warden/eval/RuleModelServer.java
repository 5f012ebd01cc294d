package dev.warden.eval;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;

/**
 * {@link RuleModel} behind {@code POST /v1/chat/completions} on 127.0.0.1 (a random port), in the
 * wire shape of OpenAI's chat completion, so the evaluation sends exactly what it would send to a
 * real endpoint. A missing bearer token is a 401, a body without {@code messages} a 400.
 */
public final class RuleModelServer implements ResponseDefinitionTransformerV2 {

  static final String NAME = "warden-eval-rule-model";

  private RuleModelServer() {}

  /** Starts it; stop it when done. */
  public static WireMockServer launch() {
    WireMockServer server =
        new WireMockServer(
            WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .extensions(new RuleModelServer())
                .notifier(new ConsoleNotifier(false)));
    server.start();
    server.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .willReturn(aResponse().withTransformers(NAME)));
    return server;
  }

  /** {@code http://127.0.0.1:PORT/v1}. */
  public static String baseUrl(WireMockServer server) {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    String auth = event.getRequest().getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      return json(401, error("Missing bearer token.", "invalid_request_error"));
    }
    JsonObject body;
    try (JsonReader r = Json.createReader(new StringReader(event.getRequest().getBodyAsString()))) {
      body = r.readObject();
    } catch (RuntimeException e) {
      return json(400, error("The body is not a JSON object.", "invalid_request_error"));
    }
    if (!body.containsKey("messages") || body.getJsonArray("messages").isEmpty()) {
      return json(400, error("Missing required parameter: 'messages'.", "invalid_request_error"));
    }
    StringBuilder instructions = new StringBuilder();
    String input = "";
    for (JsonValue v : body.getJsonArray("messages")) {
      JsonObject m = v.asJsonObject();
      String text = m.getString("content", "");
      switch (m.getString("role", "")) {
        case "system", "developer" -> instructions.append(text).append('\n');
        case "user" -> input = text;
        default -> {
          // assistant and tool messages are not instructions
        }
      }
    }
    JsonObject format = body.getJsonObject("response_format");
    JsonObject schema =
        format != null && "json_schema".equals(format.getString("type", ""))
            ? format.getJsonObject("json_schema").getJsonObject("schema")
            : null;
    String answer = RuleModel.answer(instructions.toString(), input, schema);
    int promptTokens = Math.max(1, (instructions.length() + input.length()) / 4);
    int completionTokens = Math.max(1, answer.length() / 4);
    JsonObject completion =
        Json.createObjectBuilder()
            .add("id", "chatcmpl-rules" + Integer.toHexString(answer.hashCode()))
            .add("object", "chat.completion")
            .add("created", System.currentTimeMillis() / 1000)
            .add("model", body.getString("model", "rules"))
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
                                    .add("content", answer)
                                    .addNull("refusal"))
                            .add("finish_reason", "stop")))
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("prompt_tokens", promptTokens)
                    .add("completion_tokens", completionTokens)
                    .add("total_tokens", promptTokens + completionTokens))
            .build();
    return json(200, completion);
  }

  private static JsonObject error(String message, String type) {
    return Json.createObjectBuilder()
        .add(
            "error",
            Json.createObjectBuilder()
                .add("message", message)
                .add("type", type)
                .addNull("param")
                .addNull("code"))
        .build();
  }

  private static ResponseDefinition json(int status, JsonObject body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body.toString())
        .build();
  }
}
