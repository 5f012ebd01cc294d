package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.ai.Answer;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.audit.log.AuditView;
import dev.warden.call.Caller;
import dev.warden.call.refusal.ContextWindowRefusal;
import dev.warden.call.refusal.UninspectableContentRefusal;
import dev.warden.cost.PriceTable;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ContentPart;
import dev.warden.openai.model.MessageContent;
import dev.warden.openai.stream.TokenUsage;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images end to end for a tenant whose input policy allows them ({@code
 * warden.input.images.allowed-tenants=vision-it} on the test server): a chat with {@code image_url}
 * parts (an https URL and a {@code data:} URL) and a Responses call with an {@code input_image}
 * item over {@code /v1}, and a chat through the injected API, each reach the upstream with the
 * image byte for byte and the text redacted; the tokens admission counts follow OpenAI's image
 * formula (seen in the context-window refusal, which names the counted input), and the audit record
 * keeps the upstream's usage, its cost, what passed uninspected and the request as sent. A tenant
 * not allowed images is still refused before any upstream call.
 */
class MultimodalIT extends WardenIntegrationTest {

  private static final String RESPONSES = "/v1/responses";
  private static final String EMAIL = "vera.vision@example.com";
  private static final String TEXT = "Mail " + EMAIL + " what is in this picture?";
  private static final String REDACTED = "Mail <EMAIL_1> what is in this picture?";
  private static final String REMOTE = "https://images.example/cat.png";
  private static final String TENANT = "vision-it";
  private static final Caller VISION = new Caller("vera", TENANT, null);

  @Deployment
  static WebArchive deployment() throws Exception {
    // the assertions run inside Liberty: AssertJ goes with them
    return Deployments.wardenWithAssertJ();
  }

  @Inject AuditReader audit;
  @Inject PriceTable prices;

  private String vision;

  @BeforeEach
  void visionCaller() throws Exception {
    vision = TestJwts.install().bearer("vera@vision.example", TENANT, "ai-user");
  }

  /** A real 1024×1024 PNG as a {@code data:} URL. */
  private static String png1024() throws Exception {
    BufferedImage image = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
    image.setRGB(17, 42, 0x00FF8800);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, "png", out)).isTrue();
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static JsonObject imagePart(String url) {
    return Json.createObjectBuilder()
        .add("type", "image_url")
        .add("image_url", Json.createObjectBuilder().add("url", url).add("detail", "high"))
        .build();
  }

  private static JsonObject chat(String model, JsonArrayBuilder parts, Integer maxTokens) {
    var body =
        Json.createObjectBuilder()
            .add("model", model)
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "user").add("content", parts)));
    if (maxTokens != null) {
      body.add("max_completion_tokens", maxTokens);
    }
    return body.build();
  }

  private static JsonArrayBuilder textOnly() {
    return Json.createArrayBuilder()
        .add(Json.createObjectBuilder().add("type", "text").add("text", TEXT));
  }

  private static JsonArrayBuilder withImages(String dataUrl) {
    return textOnly().add(imagePart(REMOTE)).add(imagePart(dataUrl));
  }

  private static JsonObject response(String model, String dataUrl, Integer maxTokens) {
    var body =
        Json.createObjectBuilder()
            .add("model", model)
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
                                            .add("text", TEXT))
                                    .add(
                                        Json.createObjectBuilder()
                                            .add("type", "input_image")
                                            .add("image_url", dataUrl)
                                            .add("detail", "auto")))));
    if (maxTokens != null) {
      body.add("max_output_tokens", maxTokens);
    }
    return body.build();
  }

  /** The input tokens admission counted, as the context-window refusal names them. */
  private int countedInput(String path, JsonObject body, String param) throws Exception {
    HttpResponse<String> refused = http().post(path, vision, body);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    JsonObject error = json(refused.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(ContextWindowRefusal.CODE);
    Matcher m = Pattern.compile("\\((\\d+) in the " + param).matcher(error.getString("message"));
    assertThat(m.find()).as(error.getString("message")).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** The one record of {@code requestId}, once written. */
  private AuditRecord recordOf(String requestId) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> audit.byRequestId(requestId), records -> records.size() == 1)
        .get(0);
  }

  /** The one body the mock received on {@code path}: the image intact, the text redacted. */
  private String receivedOnce(String path, String... images) {
    List<JsonObject> received = mock.find(MockAdmin.request("POST", path));
    assertThat(received).hasSize(1);
    String body = received.get(0).getString("body");
    assertThat(body).doesNotContain(EMAIL).contains(REDACTED).contains(images);
    mock.reset();
    return body;
  }

  /**
   * The record keeps the upstream's usage and its price, what passed uninspected, and the request
   * as it was sent upstream.
   */
  private void audited(
      String requestId, String model, TokenUsage usage, String uninspected, String... images) {
    AuditRecord record = recordOf(requestId);
    assertThat(record.getOutcome()).isEqualTo("SUCCEEDED");
    assertThat(record.getTenant()).isEqualTo(TENANT);
    assertThat(record.getUninspected()).isEqualTo(uninspected);
    assertThat(record.getTokensInput()).isEqualTo(usage.input());
    assertThat(record.getTokensOutput()).isEqualTo(usage.output());
    assertThat(usage.input()).isPositive();
    BigDecimal cost = prices.priceAt(model, Instant.now()).orElseThrow().cost(usage, false);
    assertThat(cost.signum()).isPositive();
    // the record keeps the cost to the millionth of a dollar
    assertThat(record.getCost()).isEqualByComparingTo(cost.setScale(6, RoundingMode.HALF_EVEN));
    AuditView view = audit.read(record.getRecordId()).orElseThrow();
    assertThat(view.request().value()).contains(REDACTED).contains(images).doesNotContain(EMAIL);
  }

  private static TokenUsage usage(JsonObject usage, String in, String out) {
    return new TokenUsage(usage.getInt(in), 0, usage.getInt(out), 0);
  }

  @Test
  void aChatWithAnHttpsAndADataImageOverV1() throws Exception {
    String png = png1024();

    // admission: the text, plus 765 for the 1024×1024 PNG (4 tiles) and 1445 for the remote
    // image it never fetches (the most an image costs on gpt-4o at high detail)
    int text = countedInput(CHAT, chat("gpt-4o", textOnly(), 10_000_000), "messages");
    int images = countedInput(CHAT, chat("gpt-4o", withImages(png), 10_000_000), "messages");
    assertThat(images - text).isEqualTo(765 + 1445);
    assertThat(mock.count(MockAdmin.request("POST", CHAT))).isZero();

    HttpResponse<String> answer = http().post(CHAT, vision, chat("gpt-4o", withImages(png), 50));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    String sent = receivedOnce(CHAT, png, REMOTE);
    assertThat(json(sent).getJsonArray("messages").getJsonObject(0).getJsonArray("content"))
        .hasSize(3);
    TokenUsage usage =
        usage(json(answer.body()).getJsonObject("usage"), "prompt_tokens", "completion_tokens");
    String requestId = answer.headers().firstValue("x-request-id").orElseThrow();
    audited(requestId, "gpt-4o", usage, "image_url=2", png, REMOTE);
  }

  @Test
  void aResponsesInputImageOverV1() throws Exception {
    String png = png1024();

    JsonObject plain =
        Json.createObjectBuilder()
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
                                            .add("text", TEXT)))))
            .add("max_output_tokens", 10_000_000)
            .build();
    int text = countedInput(RESPONSES, plain, "input");
    int image = countedInput(RESPONSES, response("gpt-4.1", png, 10_000_000), "input");
    assertThat(image - text).isEqualTo(765);

    HttpResponse<String> answer = http().post(RESPONSES, vision, response("gpt-4.1", png, 50));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    receivedOnce(RESPONSES, png);
    TokenUsage usage =
        usage(json(answer.body()).getJsonObject("usage"), "input_tokens", "output_tokens");
    String requestId = answer.headers().firstValue("x-request-id").orElseThrow();
    audited(requestId, "gpt-4.1", usage, "input_image=1", png);
  }

  @Test
  void theInjectedApiWithContentPartImages() throws Exception {
    String png = png1024();
    ChatCompletionRequest request =
        ChatCompletionRequest.builder()
            .model("gpt-4o-mini")
            .messages(
                List.of(
                    new ChatMessage(
                        "user",
                        MessageContent.of(
                            List.of(
                                ContentPart.text(TEXT),
                                ContentPart.imageUrl(png, "low"),
                                ContentPart.imageUrl(REMOTE))),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)))
            .maxCompletionTokens(50)
            .build();

    Answer<ChatCompletion> answer = Caller.runAs(VISION, () -> openAi.chat(request));

    assertThat(answer.body().firstText()).isNotBlank();
    receivedOnce(CHAT, png, REMOTE);
    TokenUsage usage = TokenUsage.of(answer.body().usage());
    audited(answer.requestId(), "gpt-4o-mini", usage, "image_url=2", png, REMOTE);
  }

  @Test
  void aTenantNotAllowedImagesIsStillRefused() throws Exception {
    HttpResponse<String> refused =
        http().post(CHAT, TestCredentials.DEV_USER, chat("gpt-4o", withImages(png1024()), 50));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(json(refused.body()).getJsonObject("error").getString("code"))
        .isEqualTo(UninspectableContentRefusal.CODE);
    assertThat(mock.count(MockAdmin.request("POST", CHAT))).isZero();
  }
}
