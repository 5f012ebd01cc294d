package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.DeferredCall;
import dev.warden.ai.DeferredCallEndedException;
import dev.warden.ai.service.AiService;
import dev.warden.ai.service.Deferrable;
import dev.warden.ai.service.Prompt;
import dev.warden.ai.service.Var;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.call.Caller;
import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.cost.PriceTable;
import dev.warden.cost.UsageEntry;
import dev.warden.cost.UsageLedger;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Model routing and deferred calls from every entry point, inside the server against the mock: a
 * {@code /v1} request naming {@code route:<use-case>} is routed cheapest first and escalated like
 * {@code ModelRouter}'s own calls; a {@code /v1} chat, Responses or embeddings request with {@code
 * X-Warden-Defer: true} goes through the Batch API and its answer is read back by its owner only;
 * an {@code @AiService} method marked {@link Deferrable} returns the deferred call, or a stage
 * completed with the bound result when its batch ends. The use case {@code route-v1-it} (models
 * gpt-4o-mini then gpt-4o, confidence field {@code confidence} at least 0.7) is in pom.xml.
 */
class RoutingAndDeferralIT extends WardenIntegrationTest {

  private static final String KEY = TestCredentials.DEV_USER_BEARER;
  private static final String DEV_USER_2 = TestCredentials.basic("dev-user-2", "dev-user-2");
  private static final String ROUTE = "route:route-v1-it";
  private static final String EMAIL = "rita.route@example.com";

  /** The typed result of a deferrable method. */
  public record Label(@NotBlank String summary, @Positive int priority) {}

  /** An application's AI service whose calls can wait. */
  @AiService(model = "gpt-4o-mini")
  public interface LaterDesk {
    @Prompt(id = "ticket-triage", version = "1.0.0")
    @Deferrable
    DeferredCall classifyLater(@Var("ticket") String ticket);

    @Prompt(id = "ticket-triage", version = "1.0.0")
    @Deferrable
    CompletionStage<Label> classifyWhenReady(@Var("ticket") String ticket);

    @Prompt(id = "support-reply", version = "1.0.0")
    @Deferrable
    CompletionStage<String> replyWhenReady(
        @Var("customer") String customer, @Var("question") String question);
  }

  /** The application's bean that injects it. */
  @ApplicationScoped
  public static class Backoffice {
    @Inject LaterDesk desk;

    public LaterDesk desk() {
      return desk;
    }
  }

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden().addClasses(Label.class, LaterDesk.class, Backoffice.class);
  }

  @Inject AuditReader audit;
  @Inject UsageLedger ledger;
  @Inject PriceTable prices;
  @Inject Backoffice backoffice;

  // ---- routing --------------------------------------------------------------------------------

  /** The mock's answer for {@code model}: a chat completion with this content. */
  private void answer(String model, String content) {
    JsonObject body =
        Json.createObjectBuilder()
            .add("id", "chatcmpl-route-" + model)
            .add("object", "chat.completion")
            .add("created", 1)
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
                                    .add("content", content))
                            .add("finish_reason", "stop")))
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("prompt_tokens", 12)
                    .add("completion_tokens", 8)
                    .add("total_tokens", 20))
            .build();
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), model),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", body.toString()));
  }

  private int calls(String path, String model) {
    return mock.count(MockAdmin.forModel(MockAdmin.request("POST", path), model));
  }

  private AuditRecord recordOf(String requestId) {
    return await("the audit record of " + requestId)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> audit.byRequestId(requestId), r -> !r.isEmpty())
        .get(0);
  }

  @Test
  void aRouteAliasOnV1EscalatesWhenTheConfidenceIsMissing() throws Exception {
    answer("gpt-4o-mini", "{\"label\":\"billing\"}");
    answer("gpt-4o", "{\"label\":\"billing\",\"confidence\":0.93}");

    HttpResponse<String> r =
        http().post("v1/chat/completions", KEY, chatBody(ROUTE, "Classify this"));

    assertEquals(200, r.statusCode(), r.body());
    assertEquals("gpt-4o", r.headers().firstValue("x-warden-model").orElseThrow());
    JsonObject body = json(r);
    assertEquals("chat.completion", body.getString("object"));
    assertTrue(body.toString().contains("0.93"), body.toString());
    assertEquals(1, calls(CHAT, "gpt-4o-mini"));
    assertEquals(1, calls(CHAT, "gpt-4o"));
    AuditRecord record = recordOf(r.headers().firstValue("x-request-id").orElseThrow());
    assertEquals(
        "escalated: use case route-v1-it, after gpt-4o-mini: no confidence in the answer",
        record.getRouteReason());
    assertEquals("gpt-4o", record.getAnsweredBy());
    assertEquals("V1", record.getEntryPoint());
  }

  @Test
  void aRouteAliasOnV1EscalatesWhenTheOutputFailsValidation() throws Exception {
    answer("gpt-4o-mini", "this is not the JSON the schema asks for");
    answer("gpt-4o", "{\"label\":\"outage\",\"confidence\":0.8}");
    JsonObject schema =
        Json.createObjectBuilder()
            .add("type", "object")
            .add(
                "properties",
                Json.createObjectBuilder()
                    .add("label", Json.createObjectBuilder().add("type", "string"))
                    .add("confidence", Json.createObjectBuilder().add("type", "number")))
            .add("required", Json.createArrayBuilder().add("label").add("confidence"))
            .add("additionalProperties", false)
            .build();
    JsonObject request =
        Json.createObjectBuilder(chatBody(ROUTE, "Classify the outage"))
            .add(
                "response_format",
                Json.createObjectBuilder()
                    .add("type", "json_schema")
                    .add(
                        "json_schema",
                        Json.createObjectBuilder()
                            .add("name", "label")
                            .add("strict", true)
                            .add("schema", schema)))
            .build();

    HttpResponse<String> r = http().post("v1/chat/completions", KEY, request);

    assertEquals(200, r.statusCode(), r.body());
    assertEquals("gpt-4o", r.headers().firstValue("x-warden-model").orElseThrow());
    assertEquals(
        "escalated: use case route-v1-it, after gpt-4o-mini: the output failed validation",
        recordOf(r.headers().firstValue("x-request-id").orElseThrow()).getRouteReason());
  }

  @Test
  void unknownAliasesAndStreamsAreRefusedAsOpenAiWould() throws Exception {
    HttpResponse<String> unknown =
        http().post("v1/chat/completions", KEY, chatBody("route:no-such-use-case", "Hi"));
    assertEquals(404, unknown.statusCode(), unknown.body());
    JsonObject error = json(unknown).getJsonObject("error");
    assertEquals("model_not_found", error.getString("code"));
    assertEquals("model", error.getString("param"));

    HttpResponse<String> stream =
        http()
            .post(
                "v1/chat/completions",
                KEY,
                Json.createObjectBuilder(chatBody(ROUTE, "Hi")).add("stream", true).build());
    assertEquals(400, stream.statusCode(), stream.body());
    assertEquals("stream", json(stream).getJsonObject("error").getString("param"));
    assertEquals(0, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  void aRouteAliasOnResponsesEscalatesToTheLastModel() throws Exception {
    JsonObject request =
        Json.createObjectBuilder().add("model", ROUTE).add("input", "Classify this").build();

    HttpResponse<String> r = http().post("v1/responses", KEY, request);

    assertEquals(200, r.statusCode(), r.body());
    assertEquals("response", json(r).getString("object"));
    // the mock's text has no confidence field: the cheap model is passed over
    assertEquals("gpt-4o", r.headers().firstValue("x-warden-model").orElseThrow());
    assertEquals(1, calls("/v1/responses", "gpt-4o-mini"));
    assertEquals(1, calls("/v1/responses", "gpt-4o"));
    AuditRecord record = recordOf(r.headers().firstValue("x-request-id").orElseThrow());
    assertEquals("responses.create", record.getOperation());
    assertTrue(
        record.getRouteReason().startsWith("escalated: use case route-v1-it, after gpt-4o-mini"),
        record.getRouteReason());
  }

  // ---- deferred calls from /v1 ----------------------------------------------------------------

  /** Defers a /v1 request; returns the 202 answer's body. */
  private JsonObject defer(String path, JsonObject request) throws Exception {
    HttpResponse<String> r = http().post(path, KEY, request, "X-Warden-Defer", "true");
    assertEquals(202, r.statusCode(), r.body());
    JsonObject accepted = json(r);
    String id = accepted.getString("id");
    assertTrue(id.startsWith("dfr_"), accepted.toString());
    assertEquals(
        "/api/deferred/" + id,
        r.headers().firstValue("Location").map(l -> l.replaceAll("^https?://[^/]+", "")).get());
    assertEquals("SUBMITTED", accepted.getString("status"));
    assertEquals(
        r.headers().firstValue("x-request-id").orElseThrow(), accepted.getString("request_id"));
    return accepted;
  }

  /** The result of a deferred call once its batch has ended (the poller runs every second). */
  private HttpResponse<String> resultOnceEnded(String id) {
    return await("the result of " + id)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> http().get("api/deferred/" + id + "/result", TestCredentials.DEV_USER),
            r -> r.statusCode() != 202);
  }

  /** One audit record of {@code operation} and one batch ledger entry, at the batch price. */
  private void settledOnce(JsonObject accepted, String operation) throws Exception {
    String requestId = accepted.getString("request_id");
    List<AuditRecord> records =
        await("the audit record and ledger entry of " + requestId)
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> audit.byRequestId(requestId),
                r -> !r.isEmpty() && !ledger.byRequest(requestId).isEmpty());
    assertEquals(1, records.size());
    assertEquals(operation, records.get(0).getOperation());
    assertEquals("V1", records.get(0).getEntryPoint());
    assertEquals("SUCCEEDED", records.get(0).getOutcome());
    assertTrue(records.get(0).getRouteReason().startsWith("deferred: batch "));
    List<UsageEntry> entries = ledger.byRequest(requestId);
    assertEquals(1, entries.size());
    assertTrue(entries.get(0).batch());

    JsonObject status =
        json(http().get("api/deferred/" + accepted.getString("id"), TestCredentials.DEV_USER));
    assertEquals("COMPLETED", status.getString("status"));
    JsonObject u = status.getJsonObject("usage");
    TokenUsage usage =
        new TokenUsage(
            u.getInt("input_tokens"),
            u.getInt("cached_input_tokens"),
            u.getInt("output_tokens"),
            u.getInt("reasoning_tokens"));
    BigDecimal batchPrice =
        prices.priceAt(status.getString("model"), Instant.now()).orElseThrow().cost(usage, true);
    assertEquals(
        0,
        batchPrice.compareTo(new BigDecimal(status.getString("cost"))),
        batchPrice + " vs " + status);
  }

  @Test
  void aV1ChatCompletionIsDeferredAndItsAnswerReadByItsOwnerOnly() throws Exception {
    JsonObject accepted =
        defer("v1/chat/completions", chatBody("gpt-4o-mini", "Write to " + EMAIL + " later"));
    String id = accepted.getString("id");
    assertEquals("/v1/chat/completions", accepted.getString("endpoint"));
    assertEquals(0, mock.count(MockAdmin.request("POST", CHAT)));
    String uploaded = mock.find(MockAdmin.request("POST", "/v1/files")).get(0).getString("body");
    assertFalse(uploaded.contains(EMAIL), "the batch file went upstream unredacted");

    HttpResponse<String> waiting =
        http().get("api/deferred/" + id + "/result", TestCredentials.DEV_USER);
    assertEquals(202, waiting.statusCode(), waiting.body());
    assertEquals("SUBMITTED", json(waiting).getString("status"));

    HttpResponse<String> done = resultOnceEnded(id);
    assertEquals(200, done.statusCode(), done.body());
    JsonObject answer = json(done);
    assertEquals("chat.completion", answer.getString("object"));
    assertEquals(
        "Mock answer to: Write to " + EMAIL + " later",
        answer
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("message")
            .getString("content"));
    settledOnce(accepted, "chat.completions");

    // another user: 404 for the status and the answer alike
    assertEquals(404, http().get("api/deferred/" + id, DEV_USER_2).statusCode());
    HttpResponse<String> theirs = http().get("api/deferred/" + id + "/result", DEV_USER_2);
    assertEquals(404, theirs.statusCode());
    assertFalse(theirs.body().contains(EMAIL));
    assertEquals(
        404,
        http().get("api/deferred/dfr_nosuchcall/result", TestCredentials.DEV_USER).statusCode());
  }

  @Test
  void v1EmbeddingsAndResponsesAreDeferredToo() throws Exception {
    JsonObject embeddings =
        defer(
            "v1/embeddings",
            Json.createObjectBuilder()
                .add("model", "text-embedding-3-small")
                .add("input", Json.createArrayBuilder().add("first text").add("second text"))
                .build());
    assertEquals("/v1/embeddings", embeddings.getString("endpoint"));
    JsonObject responses =
        defer(
            "v1/responses",
            Json.createObjectBuilder()
                .add("model", "gpt-4o-mini")
                .add("input", "Reply to " + EMAIL + " tomorrow")
                .build());
    assertEquals("/v1/responses", responses.getString("endpoint"));
    assertEquals(0, mock.count(MockAdmin.request("POST", "/v1/embeddings")));
    assertEquals(0, mock.count(MockAdmin.request("POST", "/v1/responses")));

    HttpResponse<String> vectors = resultOnceEnded(embeddings.getString("id"));
    assertEquals(200, vectors.statusCode(), vectors.body());
    JsonObject list = json(vectors);
    assertEquals("list", list.getString("object"));
    assertEquals(2, list.getJsonArray("data").size());
    assertFalse(list.getJsonArray("data").getJsonObject(0).getJsonArray("embedding").isEmpty());
    settledOnce(embeddings, "embeddings");

    HttpResponse<String> response = resultOnceEnded(responses.getString("id"));
    assertEquals(200, response.statusCode(), response.body());
    JsonObject answer = json(response);
    assertEquals("response", answer.getString("object"));
    assertTrue(answer.toString().contains(EMAIL), "placeholders restored: " + answer);
    settledOnce(responses, "responses.create");
    assertEquals(
        404,
        http()
            .get("api/deferred/" + responses.getString("id") + "/result", DEV_USER_2)
            .statusCode());

    // what a deferred Responses call cannot do
    HttpResponse<String> continued =
        http()
            .post(
                "v1/responses",
                KEY,
                Json.createObjectBuilder()
                    .add("model", "gpt-4o-mini")
                    .add("input", "And then?")
                    .add("previous_response_id", "resp_earlier")
                    .build(),
                "X-Warden-Defer",
                "true");
    assertEquals(400, continued.statusCode(), continued.body());
    assertEquals("previous_response_id", json(continued).getJsonObject("error").getString("param"));
    HttpResponse<String> unclear =
        http().post("v1/embeddings", KEY, embeddingsOf("x"), "X-Warden-Defer", "later");
    assertEquals(400, unclear.statusCode(), unclear.body());
  }

  private static JsonObject embeddingsOf(String text) {
    return Json.createObjectBuilder()
        .add("model", "text-embedding-3-small")
        .add("input", text)
        .build();
  }

  @Test
  void anExpiredDeferredCallAnswers410() throws Exception {
    JsonObjectBuilder expired =
        Json.createObjectBuilder()
            .add("id", "batch_expired_by_test")
            .add("object", "batch")
            .add("endpoint", "/v1/chat/completions")
            .add("input_file_id", "file-unused")
            .add("completion_window", "24h")
            .add("status", "expired")
            .add("created_at", 1)
            .add("expired_at", 2);
    mock.stub(
        Json.createObjectBuilder().add("method", "GET").add("urlPathPattern", "/v1/batches/.+"),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", expired.build().toString()));
    JsonObject accepted = defer("v1/chat/completions", chatBody("gpt-4o-mini", "Never mind"));

    HttpResponse<String> gone = resultOnceEnded(accepted.getString("id"));

    assertEquals(410, gone.statusCode(), gone.body());
    assertTrue(
        gone.headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("application/problem+json"));
    JsonObject problem = json(gone);
    assertEquals("deferred_call_expired", problem.getString("code"));
    assertTrue(problem.getString("detail").contains("batch_expired"), problem.toString());
  }

  // ---- @AiService methods that can wait -------------------------------------------------------

  @Test
  void aDeferrableMethodReturnsItsDeferredCall() throws Exception {
    Caller who = Caller.of("deferred-it");
    DeferredCall d =
        Caller.runAs(who, () -> backoffice.desk().classifyLater("The printer is on fire"));
    assertEquals(DeferredCall.Status.SUBMITTED, d.status());
    assertEquals("/v1/chat/completions", d.endpoint());

    DeferredCall done =
        await("deferred call " + d.id())
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> Caller.runAs(who, () -> openAi.deferred(d.id())), DeferredCall::done);
    assertEquals(DeferredCall.Status.COMPLETED, done.status(), done.toString());
    ChatCompletion answer =
        Caller.runAs(who, () -> openAi.deferredResult(d.id(), ChatCompletion.class)).orElseThrow();
    assertFalse(answer.firstText().isBlank());
    AuditRecord record = recordOf(d.requestId());
    assertEquals("ticket-triage", record.getPromptId());
    assertTrue(record.getPromptVersion().startsWith("1.0.0"), record.getPromptVersion());
  }

  @Test
  void aDeferrableStageCompletesWithTheBoundResultWhenTheBatchEnds() throws Exception {
    Caller who = Caller.of("deferred-it");
    CompletionStage<Label> label =
        Caller.runAs(who, () -> backoffice.desk().classifyWhenReady("The invoice is wrong"));
    CompletionStage<String> reply =
        Caller.runAs(
            who, () -> backoffice.desk().replyWhenReady("Ann", "Where is my order " + EMAIL + "?"));

    Label bound = label.toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertFalse(bound.summary().isBlank());
    assertTrue(bound.priority() > 0, bound.toString());
    String text = reply.toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(text.contains(EMAIL), "placeholders restored: " + text);

    // refused at submission: the stage fails as a direct call would
    CompletionStage<Label> refused =
        Caller.runAs(
            Caller.of("deferred-poor-it"),
            () -> backoffice.desk().classifyWhenReady("Too dear to ask"));
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> refused.toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(BudgetRefusal.class, e.getCause());
  }

  @Test
  void aDeferrableStageFailsWhenItsBatchExpires() throws Exception {
    mock.stub(
        Json.createObjectBuilder().add("method", "GET").add("urlPathPattern", "/v1/batches/.+"),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add(
                "body",
                Json.createObjectBuilder()
                    .add("id", "batch_expired_by_test")
                    .add("object", "batch")
                    .add("endpoint", "/v1/chat/completions")
                    .add("input_file_id", "file-unused")
                    .add("completion_window", "24h")
                    .add("status", "expired")
                    .add("created_at", 1)
                    .build()
                    .toString()));
    CompletionStage<String> reply =
        Caller.runAs(
            Caller.of("deferred-it"), () -> backoffice.desk().replyWhenReady("Bo", "Any news?"));
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> reply.toCompletableFuture().get(30, TimeUnit.SECONDS));
    DeferredCallEndedException ended =
        assertInstanceOf(DeferredCallEndedException.class, e.getCause());
    assertEquals("batch_expired", ended.code());
  }
}
