package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * PII over {@code /v1}: what reaches the upstream carries placeholders only, and the caller gets
 * the real values back (whole answers and streams, whose placeholders the mock splits across
 * chunks); a blocked type is refused before any upstream call.
 */
class PiiIT extends WardenIntegrationTest {

  private static final String RESPONSES = "/v1/responses";
  private static final String EMAIL = "jane.doe@example.com";
  private static final String PHONE = "(415) 555-2671";
  private static final String CARD = "4111 1111 1111 1111";
  // the mock echoes the first 80 characters of the (redacted) user text: keep the PII within them
  private static final String TEXT = "Mail " + EMAIL + ", call " + PHONE + ", card " + CARD + ".";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return http().post(path, TestCredentials.DEV_USER, body);
  }

  private static JsonObject chat(String text, boolean stream) {
    return Json.createObjectBuilder()
        .add("model", "gpt-4o-mini")
        .add("stream", stream)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", text)))
        .build();
  }

  /** The one body the mock received on {@code path}: placeholders, no raw values. */
  private String receivedOnce(String path) {
    List<JsonObject> received = mock.find(MockAdmin.request("POST", path));
    assertThat(received).hasSize(1);
    String body = received.get(0).getString("body");
    assertThat(body)
        .doesNotContain(EMAIL)
        .doesNotContain("555-2671")
        .doesNotContain(CARD)
        .doesNotContain("4111111111111111")
        .contains("<EMAIL_1>", "<PHONE_1>", "<CARD_1>");
    return body;
  }

  private static void hasTheRealValues(String answer) {
    assertThat(answer).contains(EMAIL, PHONE, CARD).doesNotContain("<EMAIL_", "<PHONE_", "<CARD_");
  }

  /** The {@code data:} payloads of an SSE body, in order. */
  private static List<String> data(String sse) {
    return sse.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
  }

  @Test
  void aChatLeavesRedactedAndComesBackRehydrated() throws Exception {
    HttpResponse<String> response = post(CHAT, chat(TEXT, false));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    receivedOnce(CHAT);
    String answer =
        json(response.body())
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("message")
            .getString("content");
    assertThat(answer).startsWith("Mock answer to: ");
    hasTheRealValues(answer);
  }

  @Test
  void aStreamedChatIsRehydratedAcrossChunks() throws Exception {
    HttpResponse<String> response = post(CHAT, chat(TEXT, true));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    receivedOnce(CHAT);
    StringBuilder text = new StringBuilder();
    List<String> events = data(response.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    for (String e : events.subList(0, events.size() - 1)) {
      JsonObject delta = json(e).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      if (delta.containsKey("content") && !delta.isNull("content")) {
        text.append(delta.getString("content"));
      }
    }
    assertThat(text.toString()).isEqualTo("Mock answer to: " + TEXT);
    assertThat(response.body()).doesNotContain("<EMAIL_");
  }

  @Test
  void aResponseLeavesRedactedAndComesBackRehydrated() throws Exception {
    HttpResponse<String> response =
        post(
            RESPONSES,
            Json.createObjectBuilder().add("model", "gpt-4.1").add("input", TEXT).build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    receivedOnce(RESPONSES);
    String answer =
        json(response.body())
            .getJsonArray("output")
            .getJsonObject(0)
            .getJsonArray("content")
            .getJsonObject(0)
            .getString("text");
    hasTheRealValues(answer);
  }

  @Test
  void aStreamedResponseIsRehydrated() throws Exception {
    HttpResponse<String> response =
        post(
            RESPONSES,
            Json.createObjectBuilder()
                .add("model", "gpt-4.1")
                .add("stream", true)
                .add("input", TEXT)
                .build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    receivedOnce(RESPONSES);
    StringBuilder text = new StringBuilder();
    for (String e : data(response.body())) {
      JsonObject event = json(e);
      if ("response.output_text.delta".equals(event.getString("type", ""))) {
        text.append(event.getString("delta"));
      }
    }
    hasTheRealValues(text.toString());
    assertThat(response.body()).doesNotContain("<EMAIL_", "<PHONE_", "<CARD_");
  }

  @Test
  void aSecretKeyIsRefusedAndNothingLeaves() throws Exception {
    String key = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3i";
    HttpResponse<String> response = post(CHAT, chat("Use my key " + key + " please", false));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain(key);
    JsonObject error = json(response.body()).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("code")).isEqualTo("pii_blocked");
    assertThat(error.getString("message")).contains("SECRET");
    assertThat(mock.count(MockAdmin.request("POST", CHAT))).isZero();

    HttpResponse<String> streamed = post(CHAT, chat("Use my key " + key + " please", true));
    assertThat(streamed.statusCode()).isEqualTo(400);
    assertThat(json(streamed.body()).getJsonObject("error").getString("code"))
        .isEqualTo("pii_blocked");
    assertThat(mock.count(MockAdmin.request("POST", CHAT))).isZero();
  }
}
