package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.warden.ai.Answer;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.call.CallFinished;
import dev.warden.call.FallbackKind;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fallback chain across upstreams, with two mock upstreams: the IT server's configuration (pom)
 * routes gpt-4.1-mini to {@code mu-primary} (the usual mock, failing here with 503s), gpt-5-nano to
 * {@code mu-refused} (a port nothing listens on) and text-embedding-3-large to {@code mu-azure},
 * the second mock spoken to as Azure OpenAI (deployment paths, {@code api-version}, {@code
 * api-key}); the chains of both chat models end on {@code mu-azure}. Every other model stays on the
 * default upstream.
 */
class MultiUpstreamIT extends WardenIntegrationTest {

  private static final String KEY = TestCredentials.DEV_USER_BEARER;
  private static final String AZURE_CHAT = "/openai/deployments/%s/chat/completions";

  @Inject AuditReader audit;

  /** The second mock upstream, where mu-azure points. */
  private final MockAdmin azure = new MockAdmin(Integer.getInteger("mock.second.port", 0));

  @Deployment
  static WebArchive deployment() throws Exception {
    return Deployments.wardenWithAssertJ();
  }

  @BeforeEach
  @AfterEach
  void cleanSecondMock() {
    azure.reset();
  }

  private static JsonObject chat(String model, String text, boolean stream) {
    return Json.createObjectBuilder()
        .add("model", model)
        .add("stream", stream)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", text)))
        .build();
  }

  private void primaryFailsFor(String model) {
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), model),
        MockAdmin.error(503, "server_error", null, "The engine is currently overloaded"));
  }

  /** The one request the second mock got at {@code path}, checked for Azure's dialect. */
  private JsonObject azureRequest(String path) {
    List<JsonObject> requests = azure.find(MockAdmin.request("POST", path));
    assertThat(requests).hasSize(1);
    JsonObject request = requests.get(0);
    assertThat(request.getString("url")).isEqualTo(path + "?api-version=2024-10-21");
    JsonObject headers = request.getJsonObject("headers");
    assertThat(headers.getString("api-key")).isEqualTo("mu-azure-key");
    assertThat(headers.containsKey("Authorization")).isFalse();
    return Json.createReader(new java.io.StringReader(request.getString("body"))).readObject();
  }

  private AuditRecord auditRecordOf(String requestId) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> audit.byRequestId(requestId), r -> r.size() == 1)
        .get(0);
  }

  @Test
  void theInjectedClientFallsBackFromServerErrorsToTheAzureUpstream() {
    primaryFailsFor("gpt-4.1-mini");

    Answer<ChatCompletion> answer = openAi.chat(ask("gpt-4.1-mini", "Summarise the incident"));

    assertThat(answer.fallback()).isEqualTo(FallbackKind.MODEL);
    assertThat(answer.answeredBy()).isEqualTo("gpt-4.1-mini");
    assertThat(answer.upstream()).isEqualTo("mu-azure");
    assertThat(answer.attempts()).isEqualTo(4);
    assertThat(answer.body().firstText()).startsWith("Mock answer to: Summarise the incident");
    // four attempts on the first upstream (Bearer key of its own), then one on Azure
    List<JsonObject> primary =
        mock.find(MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4.1-mini"));
    assertThat(primary).hasSize(4);
    assertThat(primary.get(0).getJsonObject("headers").getString("Authorization"))
        .isEqualTo("Bearer mu-primary-key");
    // the deployment name is the model the Azure upstream is sent
    assertThat(azureRequest(String.format(AZURE_CHAT, "mini-deployment")).getString("model"))
        .isEqualTo("mini-deployment");

    AuditRecord record = auditRecordOf(answer.requestId());
    assertThat(record.getAnsweredBy()).isEqualTo("gpt-4.1-mini");
    assertThat(record.getFallback()).isEqualTo("MODEL");
    assertThat(record.getRouteReason())
        .isEqualTo(
            "requested; fallback: model gpt-4.1-mini on upstream mu-azure after an outage,"
                + " gpt-4.1-mini failed (ServerErrorException)");
  }

  @Test
  void v1FallsBackFromARefusedConnectionToTheAzureUpstreamAndPricesTheAnsweringModel()
      throws Exception {
    HttpResponse<String> response =
        http().post("v1/chat/completions", KEY, chat("gpt-5-nano", "Hello there", false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-warden-fallback")).hasValue("model");
    assertThat(response.headers().firstValue("x-warden-model")).hasValue("gpt-5-nano");
    assertThat(response.headers().firstValue("x-warden-upstream")).hasValue("mu-azure");
    assertThat(response.headers().firstValue("x-warden-attempts")).hasValue("4");
    assertThat(WardenHttp.json(response).getString("object")).isEqualTo("chat.completion");
    assertThat(azureRequest(String.format(AZURE_CHAT, "nano-deployment")).getString("model"))
        .isEqualTo("nano-deployment");

    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    CallFinished call =
        callLog.await(c -> requestId.equals(c.requestId()), 1, Duration.ofSeconds(20)).get(0);
    assertThat(call.answeredBy()).isEqualTo("gpt-5-nano");
    assertThat(call.cost()).isNotNull().isGreaterThan(BigDecimal.ZERO);
    assertThat(auditRecordOf(requestId).getRouteReason())
        .isEqualTo(
            "requested; fallback: model gpt-5-nano on upstream mu-azure after an outage,"
                + " gpt-5-nano failed (ConnectionException)");
  }

  @Test
  void aStreamFallsBackToTheAzureUpstreamBeforeItsFirstEvent() throws Exception {
    primaryFailsFor("gpt-4.1-mini");

    HttpResponse<Stream<String>> response =
        http().postForEvents("v1/chat/completions", KEY, chat("gpt-4.1-mini", "Stream it", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-warden-fallback")).hasValue("model");
    assertThat(response.headers().firstValue("x-warden-upstream")).hasValue("mu-azure");
    String events = response.body().collect(Collectors.joining("\n"));
    assertThat(events).contains("chat.completion.chunk").contains("data: [DONE]");
    assertThat(azureRequest(String.format(AZURE_CHAT, "mini-deployment")).getBoolean("stream"))
        .isTrue();
  }

  @Test
  void responsesFallBackToAzuresResponsesPath() {
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", "/v1/responses"), "gpt-4.1-mini"),
        MockAdmin.error(500, "server_error", null, "boom"));

    Answer<ModelResponse> answer =
        openAi.respond(
            CreateResponseRequest.builder()
                .model("gpt-4.1-mini")
                .input(ResponseInput.of("Say hello"))
                .build());

    assertThat(answer.fallback()).isEqualTo(FallbackKind.MODEL);
    assertThat(answer.upstream()).isEqualTo("mu-azure");
    assertThat(azureRequest("/openai/responses").getString("model")).isEqualTo("mini-deployment");
  }

  @Test
  void embeddingsOfAModelOnlyAzureServesGoToItsDeployment() {
    Answer<EmbeddingResponse> answer =
        openAi.embed(EmbeddingRequest.of("text-embedding-3-large", "vectors, please"));

    assertThat(answer.upstream()).isEqualTo("mu-azure");
    assertThat(answer.fallback()).isEqualTo(FallbackKind.NONE);
    assertThat(answer.body().data()).hasSize(1);
    assertThat(azureRequest("/openai/deployments/embed-deployment/embeddings").getString("model"))
        .isEqualTo("embed-deployment");
    assertThat(auditRecordOf(answer.requestId()).getRouteReason())
        .isEqualTo("requested; answered on upstream mu-azure");
  }

  @Test
  void otherModelsStayOnTheDefaultUpstream() throws Exception {
    HttpResponse<String> response =
        http().post("v1/chat/completions", KEY, chat("gpt-4o-mini", "Hello", false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-warden-upstream")).hasValue("openai");
    assertThat(response.headers().firstValue("x-warden-fallback")).hasValue("none");
    assertThat(mock.count(MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4o-mini")))
        .isEqualTo(1);
    assertThat(azure.count(MockAdmin.request("POST", String.format(AZURE_CHAT, "mini-deployment"))))
        .isZero();
  }
}
