package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.DeferredCalls;
import dev.warden.ai.ModelRouter;
import dev.warden.audit.log.AuditLog;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.FallbackKind;
import dev.warden.call.refusal.ContextWindowRefusal;
import dev.warden.cost.BackgroundCharges;
import dev.warden.cost.BudgetStore;
import dev.warden.cost.PriceTable;
import dev.warden.cost.UsageEntry;
import dev.warden.cost.UsageLedger;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.stream.TokenUsage;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Cost control beyond chat (issue #6): embeddings and background Responses calls under the same
 * reserve/settle accounting, the route reason in the audit record, and the soft-alert webhook
 * (posted to the mock upstream, which records it).
 */
class CostAccountingIT extends InContainerTest {

  static final Caller USER = Caller.of("accounting-it");

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject CostRows rows;
  @Inject PriceTable prices;
  @Inject UsageLedger ledger;
  @Inject AuditLog audit;
  @Inject BackgroundCharges background;
  @Inject DeferredCalls deferred;
  @Inject ModelRouter router;

  private BigDecimal price(String model, TokenUsage usage) {
    return prices.priceAt(model, Instant.now()).orElseThrow().cost(usage, false);
  }

  @Test
  void embeddingsAreAdmittedPricedAndSettled() throws Exception {
    rows.forget(USER.principal());
    var answer =
        Caller.runAs(
            USER,
            () ->
                openAi.embed(
                    EmbeddingRequest.of(
                        "text-embedding-3-small", List.of("first text", "second text"))));
    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    long tokens = answer.body().usage().promptTokens();
    assertTrue(tokens > 0);
    BigDecimal expected = price("text-embedding-3-small", new TokenUsage(tokens, 0, 0, 0));
    assertTrue(expected.signum() > 0);
    assertEquals(0, expected.compareTo(call.cost()), expected + " vs " + call.cost());
    List<UsageEntry> entries = ledger.byRequest(call.requestId());
    assertEquals(1, entries.size());
    assertEquals("embeddings", entries.get(0).operation());
    BudgetStore.Row row = rows.daily(USER.principal());
    assertEquals(0, row.reserved().signum(), row.toString());
    assertEquals(0, expected.compareTo(row.spent()), row.toString());
  }

  @Test
  void anEmbeddingInputLargerThanTheWindowIsRefusedBeforeAnyUpstreamCall() {
    String big = "token ".repeat(8_300); // one input over the 8192-token window
    assertThrows(
        ContextWindowRefusal.class,
        () -> openAi.embed(EmbeddingRequest.of("text-embedding-3-small", big)));
    assertEquals(0, mock.count(MockAdmin.request("POST", "/v1/embeddings")));
    // the window is per input: two inputs that each fit are admitted together
    String half = "token ".repeat(5_000);
    openAi.embed(EmbeddingRequest.of("text-embedding-3-small", List.of(half, half)));
    assertEquals(1, mock.count(MockAdmin.request("POST", "/v1/embeddings")));
  }

  private ModelResponse startBackground(String text) {
    return Caller.runAs(
            USER,
            () ->
                openAi.respond(
                    CreateResponseRequest.builder()
                        .model("gpt-4o-mini")
                        .input(ResponseInput.of(text))
                        .maxOutputTokens(200)
                        .background(true)
                        .store(true)
                        .build()))
        .body();
  }

  @Test
  void aBackgroundResponseKeepsItsReservationUntilItEnds() throws Exception {
    rows.forget(USER.principal());
    ModelResponse queued = startBackground("A long background task");
    assertEquals("queued", queued.status());
    CallFinished create = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertNull(create.cost(), "the create call is not priced: no usage exists yet");
    assertTrue(background.pending(queued.id()));
    BudgetStore.Row held = rows.daily(USER.principal());
    assertTrue(held.reserved().signum() > 0, held.toString());
    assertEquals(0, held.spent().signum());

    // retrieves (by anyone, here the caller) until it completes: the first one that sees it end
    // settles it at the actual usage
    ModelResponse last = queued;
    for (int i = 0; i < 5 && !BackgroundCharges.ENDED.contains(last.status()); i++) {
      last = openAi.retrieveResponse(queued.id()).body();
    }
    assertEquals("completed", last.status());
    assertFalse(background.pending(queued.id()));
    BigDecimal expected = price("gpt-4o-mini", TokenUsage.of(last.usage()));
    BudgetStore.Row after = rows.daily(USER.principal());
    assertEquals(0, after.reserved().signum(), after.toString());
    assertEquals(0, expected.compareTo(after.spent()), expected + " vs " + after);
    List<UsageEntry> entries = ledger.byRequest(create.requestId());
    assertEquals(1, entries.size(), "the ledger entry carries the create call's request id");
    assertEquals("accounting-it", entries.get(0).principal());
    assertEquals("responses.create", entries.get(0).operation());
    // a later retrieve settles nothing again
    openAi.retrieveResponse(queued.id());
    assertEquals(0, expected.compareTo(rows.daily(USER.principal()).spent()));
  }

  @Test
  void aCancelledBackgroundResponseReleasesItsReservation() throws Exception {
    rows.forget(USER.principal());
    ModelResponse queued = startBackground("Cancel me");
    assertTrue(rows.daily(USER.principal()).reserved().signum() > 0);
    openAi.cancelResponse(queued.id());
    assertFalse(background.pending(queued.id()));
    BudgetStore.Row after = rows.daily(USER.principal());
    assertEquals(0, after.reserved().signum(), after.toString());
    assertEquals(0, after.spent().signum(), after.toString());
  }

  @Test
  void thePollerSettlesABackgroundResponseNobodyRetrieves() throws Exception {
    rows.forget(USER.principal());
    ModelResponse queued = startBackground("Nobody asks for me");
    for (int i = 0; i < 5 && background.pending(queued.id()); i++) {
      deferred.pollBackground(Duration.ZERO);
    }
    assertFalse(background.pending(queued.id()));
    BudgetStore.Row after = rows.daily(USER.principal());
    assertEquals(0, after.reserved().signum(), after.toString());
    assertTrue(after.spent().signum() > 0, after.toString());
  }

  @Test
  void theAuditRecordSaysWhichModelAnsweredAndWhy() throws Exception {
    // routed cheap-first, escalated because the caller's validation refused the cheap answer
    ModelRouter.Routed routed =
        router.chat("route-it", ask("ignored", "Classify this"), c -> !c.model().contains("mini"));
    assertEquals(2, routed.steps().size());
    String first = routed.steps().get(0).requestId();
    String second = routed.steps().get(1).requestId();
    assertEquals(
        "routed: use case route-it, cheapest first",
        audit.byRequestId(first).get(0).getRouteReason());
    assertEquals(
        "escalated: use case route-it, after gpt-4o-mini: the answer failed validation",
        audit.byRequestId(second).get(0).getRouteReason());
    assertEquals("gpt-4o", audit.byRequestId(second).get(0).getAnsweredBy());

    // a plain call: the model it asked for
    String plain = openAi.chat(ask("gpt-4o-mini", "Hi")).requestId();
    assertEquals("requested", audit.byRequestId(plain).get(0).getRouteReason());

    // an outage of the requested model: the configured fallback model answers
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4.1"),
        MockAdmin.error(500, "server_error", null, "down"));
    var answer = openAi.chat(ask("gpt-4.1", "Are you there?"));
    assertEquals(FallbackKind.MODEL, answer.fallback());
    assertEquals(
        "requested; fallback: model gpt-4o-mini after an outage, gpt-4.1 failed"
            + " (ServerErrorException)",
        audit.byRequestId(answer.requestId()).get(0).getRouteReason());
    assertTrue(audit.verify().intact());
  }

  @Test
  void aCrossedThresholdIsPostedToTheWebhook() throws Exception {
    Caller spender = Caller.of("alert-it");
    rows.forget(spender.principal());
    mock.stub(
        MockAdmin.request("POST", "/hooks/budget"), Json.createObjectBuilder().add("status", 204));
    // gpt-4o-mini calls of about 0.00001 USD against a daily budget of 0.0001: the 50 % alert
    // comes within a few calls, each admitted (its worst case still fits)
    for (int i = 0; i < 20 && rows.daily("alert-it").alerted().signum() == 0; i++) {
      var request =
          ask("gpt-4o-mini", "Spend a little " + i).toBuilder().maxCompletionTokens(20).build();
      Caller.runAs(spender, () -> openAi.chat(request));
    }
    BudgetStore.Row row = rows.daily("alert-it");
    assertTrue(row.alerted().signum() > 0, row.toString());
    // delivered asynchronously: wait for the mock to have it (bounded)
    List<JsonObject> posts = List.of();
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (posts.isEmpty() && System.nanoTime() < end) {
      posts = mock.find(MockAdmin.request("POST", "/hooks/budget"));
    }
    assertEquals(1, posts.size(), "one alert, posted once");
    JsonObject alert =
        Json.createReader(new StringReader(posts.get(0).getString("body"))).readObject();
    assertEquals("WARDEN0620W", alert.getString("message_id"));
    assertNotNull(alert.getString("alert_id"));
    assertEquals("user", alert.getJsonObject("budget").getString("scope"));
    assertEquals("alert-it", alert.getJsonObject("budget").getString("subject"));
    assertEquals("daily", alert.getJsonObject("budget").getString("period"));
    assertEquals(0, new BigDecimal(alert.getString("threshold")).compareTo(row.alerted()));
    assertEquals(
        0, new BigDecimal("0.0001").compareTo(new BigDecimal(alert.getString("limit_usd"))));
    assertTrue(new BigDecimal(alert.getString("spent_usd")).signum() > 0);
    assertFalse(posts.get(0).getString("body").contains("Spend a little"), "no prompt content");
  }
}
