package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ai.Answer;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.refusal.UninspectableContentRefusal;
import dev.warden.crypto.SubjectPseudonyms;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ContentPart;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.MessageContent;
import dev.warden.openai.model.ResponseContent;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Content Warden cannot inspect (images, files) is refused by default, before any upstream call,
 * with a clear 400 in the caller's format and an audit record naming what was refused; a tenant
 * whose input policy allows images ({@code warden.input.images.allowed-tenants=vision-it} on the
 * test server) gets its call through, and its record says what passed uninspected. The {@code
 * user}, {@code safety_identifier} and {@code metadata} values reach the upstream redacted. In the
 * container (to read the audit log), calling {@code /v1} over HTTP as a client would.
 */
class InputPolicyIT extends WardenIntegrationTest {

  private static final String RESPONSES = "/v1/responses";
  private static final String EMBEDDINGS = "/v1/embeddings";
  private static final String EMAIL = "jane.input@example.com";
  private static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB";
  private static final String PDF = "data:application/pdf;base64,JVBERi0xLjQKJcfsj6IK";
  private static final Caller VISION = new Caller("vera", "vision-it", null);

  @Deployment
  static WebArchive deployment() throws Exception {
    // the assertions run inside Liberty: AssertJ goes with them
    return Deployments.wardenWithAssertJ();
  }

  @Inject AuditReader audit;
  @Inject SubjectPseudonyms pseudonyms;

  private HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return http().post(path, TestCredentials.DEV_USER, body);
  }

  /** The one audit record of {@code requestId}, once written. */
  private AuditRecord recordOf(String requestId) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> audit.byRequestId(requestId), records -> records.size() == 1)
        .get(0);
  }

  private static String requestId(HttpResponse<String> response) {
    return response.headers().firstValue("x-request-id").orElseThrow();
  }

  private static JsonObject chat(JsonArrayBuilder parts) {
    return Json.createObjectBuilder()
        .add("model", "gpt-4o-mini")
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", parts)))
        .build();
  }

  private static JsonObject response(JsonObjectBuilder part) {
    return Json.createObjectBuilder()
        .add("model", "gpt-4.1")
        .add(
            "input",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("role", "user")
                        .add(
                            "content",
                            Json.createArrayBuilder()
                                .add(
                                    Json.createObjectBuilder()
                                        .add("type", "input_text")
                                        .add("text", "What is this?"))
                                .add(part))))
        .build();
  }

  private static JsonObjectBuilder text(String text) {
    return Json.createObjectBuilder().add("type", "text").add("text", text);
  }

  /** A 400 {@code uninspectable_content} error object naming {@code type}, nothing upstream. */
  private JsonObject refused(HttpResponse<String> response, String path, String param, String type)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("iVBOR").doesNotContain("JVBER");
    JsonObject error = json(response.body()).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("code")).isEqualTo(UninspectableContentRefusal.CODE);
    assertThat(error.getString("param")).isEqualTo(param);
    assertThat(error.getString("message"))
        .contains("cannot inspect for personal data")
        .contains("1 " + type + " part")
        .contains("nothing was sent upstream");
    assertThat(mock.count(MockAdmin.request("POST", path))).isZero();
    return error;
  }

  /**
   * The audit record of a refusal for one part of {@code type} (found by the call's own request id:
   * the {@code x-request-id} of a {@code /v1} error answer is not the call's).
   */
  private void recordedAsRefused(String requestId, String type) {
    AuditRecord record = recordOf(requestId);
    assertThat(record.getOutcome()).isEqualTo("FAILED");
    assertThat(record.getErrorType()).isEqualTo("UninspectableContentRefusal");
    assertThat(record.getUninspected()).isEqualTo(type + "=1");
    assertThat(record.getAttempts()).isZero();
    assertThat(record.getRequestEnc()).as("nothing was sent, nothing to keep").isNull();
  }

  @Test
  void aChatImageAsADataUrlIsRefusedOverV1BeforeAnyUpstreamCallAndAudited() throws Exception {
    HttpResponse<String> response =
        post(
            CHAT,
            chat(
                Json.createArrayBuilder()
                    .add(text("What is in this picture?"))
                    .add(
                        Json.createObjectBuilder()
                            .add("type", "image_url")
                            .add("image_url", Json.createObjectBuilder().add("url", PNG)))));

    refused(response, CHAT, "messages", "image_url");
    recordedAsRefused(lastCall().requestId(), "image_url");
  }

  @Test
  void aChatFileWithFileDataIsRefusedOverV1AndAudited() throws Exception {
    HttpResponse<String> response =
        post(
            CHAT,
            chat(
                Json.createArrayBuilder()
                    .add(text("Summarise the attachment"))
                    .add(
                        Json.createObjectBuilder()
                            .add("type", "file")
                            .add(
                                "file",
                                Json.createObjectBuilder()
                                    .add("filename", "contract.pdf")
                                    .add("file_data", PDF)))));

    refused(response, CHAT, "messages", "file");
    recordedAsRefused(lastCall().requestId(), "file");
  }

  @Test
  void aResponsesInputImageAndInputFileAreRefusedOverV1AndAudited() throws Exception {
    HttpResponse<String> image =
        post(
            RESPONSES,
            response(Json.createObjectBuilder().add("type", "input_image").add("image_url", PNG)));
    refused(image, RESPONSES, "input", "input_image");
    recordedAsRefused(lastCall().requestId(), "input_image");

    HttpResponse<String> file =
        post(
            RESPONSES,
            response(
                Json.createObjectBuilder()
                    .add("type", "input_file")
                    .add("filename", "contract.pdf")
                    .add("file_data", PDF)));
    refused(file, RESPONSES, "input", "input_file");
    recordedAsRefused(lastCall().requestId(), "input_file");
  }

  @Test
  void theInjectedApiRefusesImagesAndFilesWithAWardenRefusalAndAuditsIt() {
    ChatCompletionRequest withImage =
        ChatCompletionRequest.builder()
            .model("gpt-4o-mini")
            .messages(
                List.of(
                    message(
                        ContentPart.text("What is in this picture?"), ContentPart.imageUrl(PNG))))
            .build();
    assertThatThrownBy(() -> openAi.chat(withImage))
        .isInstanceOfSatisfying(
            UninspectableContentRefusal.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.refused()).containsEntry("image_url", 1);
            });
    recordedAsRefused(lastCall().requestId(), "image_url");

    ResponseContent pdf =
        new ResponseContent(
            "input_file", null, null, null, null, null, null, null, null, PDF, "a.pdf", null);
    CreateResponseRequest withFile =
        CreateResponseRequest.builder()
            .model("gpt-4.1")
            .input(
                ResponseInput.of(
                    ResponseItem.message(
                        "user", List.of(ResponseContent.inputText("Summarise it"), pdf))))
            .build();
    assertThatThrownBy(() -> openAi.respond(withFile))
        .isInstanceOf(UninspectableContentRefusal.class);
    recordedAsRefused(lastCall().requestId(), "input_file");

    assertThat(mock.count(MockAdmin.request("POST", CHAT))).isZero();
    assertThat(mock.count(MockAdmin.request("POST", RESPONSES))).isZero();
  }

  @Test
  void aTenantAllowedImagesGetsItsCallThroughAndItsRecordSaysWhatPassedUninspected() {
    ChatCompletionRequest withImages =
        ChatCompletionRequest.builder()
            .model("gpt-4o-mini")
            .messages(
                List.of(
                    message(
                        ContentPart.text("Compare these"),
                        ContentPart.imageUrl(PNG),
                        ContentPart.imageUrl("https://images.example/b.png"))))
            .build();

    Answer<ChatCompletion> answer = Caller.runAs(VISION, () -> openAi.chat(withImages));

    assertThat(answer.body().firstText()).isNotBlank();
    List<JsonObject> received = mock.find(MockAdmin.request("POST", CHAT));
    assertThat(received).hasSize(1);
    assertThat(received.get(0).getString("body")).contains(PNG, "https://images.example/b.png");
    AuditRecord record = recordOf(answer.requestId());
    assertThat(record.getOutcome()).isEqualTo("SUCCEEDED");
    assertThat(record.getTenant()).isEqualTo("vision-it");
    assertThat(record.getUninspected()).isEqualTo("image_url=2");

    // images only: the same tenant may not send a file
    ResponseContent pdf =
        new ResponseContent(
            "input_file", null, null, null, null, null, null, null, null, PDF, "a.pdf", null);
    CreateResponseRequest withFile =
        CreateResponseRequest.builder()
            .model("gpt-4.1")
            .input(
                ResponseInput.of(
                    ResponseItem.message("user", List.of(ResponseContent.inputImage(PNG), pdf))))
            .build();
    assertThatThrownBy(() -> Caller.runAs(VISION, () -> openAi.respond(withFile)))
        .isInstanceOfSatisfying(
            UninspectableContentRefusal.class,
            e -> assertThat(e.refused()).containsOnlyKeys("input_file"));
    assertThat(mock.count(MockAdmin.request("POST", RESPONSES))).isZero();
  }

  @Test
  void userSafetyIdentifierAndMetadataReachTheUpstreamAsPlaceholders() throws Exception {
    JsonObject chat =
        Json.createObjectBuilder(chat(Json.createArrayBuilder().add(text("Hello there"))))
            .add("user", EMAIL)
            .add("safety_identifier", EMAIL)
            .add("metadata", Json.createObjectBuilder().add("contact", EMAIL))
            .build();
    HttpResponse<String> chatAnswer = post(CHAT, chat);
    assertThat(chatAnswer.statusCode()).as(chatAnswer.body()).isEqualTo(200);
    JsonObject sentChat = receivedOnce(CHAT);
    assertThat(sentChat.getString("user")).isEqualTo("<EMAIL_1>");
    assertThat(sentChat.getString("safety_identifier")).isEqualTo("<EMAIL_1>");
    assertThat(sentChat.getJsonObject("metadata").getString("contact")).isEqualTo("<EMAIL_1>");
    AuditRecord record = recordOf(requestId(chatAnswer));
    // in the redaction summary, and the data subject is still the caller's value
    assertThat(record.getPiiFound()).isEqualTo("EMAIL=3");
    assertThat(record.getDataSubject()).isEqualTo(pseudonyms.pseudonym("default", EMAIL));

    JsonObject responses =
        Json.createObjectBuilder()
            .add("model", "gpt-4.1")
            .add("input", "Hello there")
            .add("user", EMAIL)
            .add("safety_identifier", "id " + EMAIL)
            .add("metadata", Json.createObjectBuilder().add("contact", EMAIL))
            .build();
    HttpResponse<String> responseAnswer = post(RESPONSES, responses);
    assertThat(responseAnswer.statusCode()).as(responseAnswer.body()).isEqualTo(200);
    JsonObject sentResponse = receivedOnce(RESPONSES);
    assertThat(sentResponse.getString("user")).isEqualTo("<EMAIL_1>");
    assertThat(sentResponse.getString("safety_identifier")).isEqualTo("id <EMAIL_1>");
    assertThat(sentResponse.getJsonObject("metadata").getString("contact")).isEqualTo("<EMAIL_1>");
    assertThat(recordOf(requestId(responseAnswer)).getDataSubject())
        .isEqualTo(pseudonyms.pseudonym("default", "id " + EMAIL));

    JsonObject embeddings =
        Json.createObjectBuilder()
            .add("model", "text-embedding-3-small")
            .add("input", "Hello there")
            .add("user", EMAIL)
            .build();
    HttpResponse<String> embedded = post(EMBEDDINGS, embeddings);
    assertThat(embedded.statusCode()).as(embedded.body()).isEqualTo(200);
    assertThat(receivedOnce(EMBEDDINGS).getString("user")).isEqualTo("<EMAIL_1>");
  }

  @Test
  void theInjectedApiRedactsUserAndMetadataToo() {
    ChatCompletionRequest request =
        ChatCompletionRequest.builder()
            .model("gpt-4o-mini")
            .messages(List.of(ChatMessage.user("Hello there")))
            .user(EMAIL)
            .metadata("contact", EMAIL)
            .build();

    Answer<ChatCompletion> answer = openAi.chat(request);

    JsonObject sent = receivedOnce(CHAT);
    assertThat(sent.getString("user")).isEqualTo("<EMAIL_1>");
    assertThat(sent.getJsonObject("metadata").getString("contact")).isEqualTo("<EMAIL_1>");
    assertThat(recordOf(answer.requestId()).getPiiFound()).isEqualTo("EMAIL=2");
  }

  /** The one body the mock received on {@code path}, with no raw e-mail address. */
  private JsonObject receivedOnce(String path) {
    List<JsonObject> received = mock.find(MockAdmin.request("POST", path));
    assertThat(received).hasSize(1);
    String body = received.get(0).getString("body");
    assertThat(body).doesNotContain(EMAIL);
    mock.reset();
    return json(body);
  }

  private CallFinished lastCall() {
    List<CallFinished> calls = callLog.calls();
    assertThat(calls).isNotEmpty();
    return calls.get(calls.size() - 1);
  }

  private static ChatMessage message(ContentPart... parts) {
    return new ChatMessage(
        "user", MessageContent.of(List.of(parts)), null, null, null, null, null, null);
  }
}
