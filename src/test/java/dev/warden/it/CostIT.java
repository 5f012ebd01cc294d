package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.Outcome;
import dev.warden.call.refusal.ContextWindowRefusal;
import dev.warden.call.refusal.RateLimitRefusal;
import dev.warden.cost.InFlightLimits;
import dev.warden.cost.PriceTable;
import dev.warden.cost.UsageEntry;
import dev.warden.cost.UsageLedger;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.stream.StreamResult;
import dev.warden.openai.stream.TokenUsage;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Cost control inside the server: the context window check before any upstream call, the cost of a
 * call from its usage and the price table, the caller in {@link CallFinished}, the ledger, rate
 * limits, in-flight limits, and streams settling when they end.
 */
class CostIT extends WardenIntegrationTest {

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject PriceTable prices;
  @Inject UsageLedger ledger;
  @Inject InFlightLimits inFlight;

  @Test
  void aRequestLargerThanTheContextWindowIsRefusedBeforeAnyUpstreamCall() throws Exception {
    // gpt-4 has an 8192-token window; 9000 words are more than 9000 tokens
    String huge = "word ".repeat(9000);
    ContextWindowRefusal e =
        assertThrows(ContextWindowRefusal.class, () -> openAi.chat(ask("gpt-4", huge)));
    assertEquals(400, e.status());
    assertEquals("context_length_exceeded", e.code());
    assertEquals("messages", e.param());
    assertTrue(e.getMessage().startsWith("This model's maximum context length is 8192 tokens."));

    // prompt that fits, plus a max_completion_tokens that does not
    ChatCompletionRequest fitsAlone =
        ask("gpt-4", "word ".repeat(7000)).toBuilder().maxCompletionTokens(2000).build();
    assertThrows(ContextWindowRefusal.class, () -> openAi.chat(fitsAlone));

    CreateResponseRequest responses =
        CreateResponseRequest.builder().model("gpt-4").input(ResponseInput.of(huge)).build();
    ContextWindowRefusal r =
        assertThrows(ContextWindowRefusal.class, () -> openAi.respond(responses));
    assertEquals("input", r.param());

    assertEquals(0, mock.count(MockAdmin.request("POST", CHAT)));
    assertEquals(0, mock.count(MockAdmin.request("POST", "/v1/responses")));
    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertEquals(Outcome.FAILED, call.outcome());
    assertNull(call.cost(), "nothing was reserved, nothing is charged");
  }

  @Test
  void aCallCostsItsUsageAtThePriceTableAndIsRecordedForItsCaller() throws Exception {
    Caller alice = new Caller("cost-it-alice", "cost-it-tenant", "key-1");
    ChatCompletion answer =
        Caller.runAs(alice, () -> openAi.chat(ask("gpt-4o-mini", "Hello there")).body());

    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertEquals(alice, call.caller());
    TokenUsage usage = TokenUsage.of(answer.usage());
    assertTrue(usage.total() > 0);
    BigDecimal expected =
        prices.priceAt("gpt-4o-mini", Instant.now()).orElseThrow().cost(usage, false);
    assertNotNull(call.cost());
    assertEquals(0, expected.compareTo(call.cost()), expected + " vs " + call.cost());

    List<UsageEntry> entries = ledger.byRequest(call.requestId());
    assertEquals(1, entries.size());
    UsageEntry entry = entries.get(0);
    assertEquals("cost-it-alice", entry.principal());
    assertEquals("cost-it-tenant", entry.tenant());
    assertEquals("gpt-4o-mini", entry.model());
    assertEquals(usage.input(), entry.inputTokens());
    assertEquals(usage.output(), entry.outputTokens());
    assertEquals(0, expected.compareTo(entry.cost()));
  }

  @Test
  void aStreamIsPricedWhenItEnds() throws Exception {
    Caller bob = Caller.of("cost-it-bob");
    StreamResult result =
        Caller.runAs(bob, () -> openAi.streamChat(ask("gpt-4o-mini", "Stream please"), t -> {}));
    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertTrue(call.streamed());
    assertEquals(bob, call.caller());
    BigDecimal expected =
        prices.priceAt("gpt-4o-mini", Instant.now()).orElseThrow().cost(result.usage(), false);
    assertEquals(0, expected.compareTo(call.cost()), expected + " vs " + call.cost());
    assertEquals(1, ledger.byRequest(call.requestId()).size());
  }

  @Test
  void overTheRequestsPerMinuteTheCallIsRefusedWithRetryAfter() throws Exception {
    // rate-it: 3 requests per minute (pom.xml); the window may hold calls of an earlier run
    Caller rated = Caller.of("rate-it");
    RateLimitRefusal refused = null;
    int admitted = 0;
    for (int i = 0; i < 4 && refused == null; i++) {
      try {
        Caller.runAs(rated, () -> openAi.chat(ask("gpt-4o-mini", "again")));
        admitted++;
      } catch (RateLimitRefusal e) {
        refused = e;
      }
    }
    assertNotNull(refused, "the 4th call within a minute must be refused");
    assertTrue(admitted <= 3);
    assertEquals(429, refused.status());
    assertEquals("rate_limit_exceeded", refused.code());
    assertEquals("requests", refused.type());
    Duration wait = refused.retryAfter().orElseThrow();
    assertTrue(!wait.isNegative() && wait.compareTo(Duration.ofMinutes(1)) <= 0, wait.toString());
    assertEquals(admitted, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  void aTenantsStreamHoldsItsOnePlaceInFlightUntilItEndsHoweverItEnds() throws Exception {
    // inflight-it: 1 call in flight at once (pom.xml)
    Caller ida = new Caller("ida", "inflight-it", null);
    Caller ivo = new Caller("ivo", "inflight-it", null);
    List<RuntimeException> during = new ArrayList<>();
    List<Integer> counted = new ArrayList<>();

    Caller.runAs(
        ida,
        () ->
            openAi.streamChat(
                ask("gpt-4o-mini", "Stream please"),
                text -> {
                  if (during.isEmpty()) {
                    counted.add(inFlight.inFlight("tenant|inflight-it"));
                    // while ida's stream is relayed: ivo (same tenant) is refused, another tenant
                    // is not
                    during.add(
                        assertThrows(
                            RateLimitRefusal.class,
                            () ->
                                Caller.runAs(
                                    ivo, () -> openAi.chat(ask("gpt-4o-mini", "Me too")))));
                    Caller.runAs(
                        Caller.of("cost-it-other"), () -> openAi.chat(ask("gpt-4o-mini", "Hi")));
                  }
                }));

    assertEquals(List.of(1), counted);
    RateLimitRefusal refused = (RateLimitRefusal) during.get(0);
    assertEquals(429, refused.status());
    assertEquals("rate_limit_exceeded", refused.code());
    assertEquals("requests", refused.type());
    assertTrue(
        refused.getMessage().contains("in flight for this tenant: limit 1"), refused.getMessage());
    assertEquals(Duration.ofSeconds(1), refused.retryAfter().orElseThrow());
    // the refusal is recorded like every call, and nothing of it was sent
    CallFinished refusal =
        callLog.calls().stream().filter(c -> c.caller().equals(ivo)).findFirst().orElseThrow();
    assertEquals(Outcome.FAILED, refusal.outcome());
    assertEquals("RateLimitRefusal", refusal.errorType());
    assertEquals(0, refusal.attempts());
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)));

    // ended: the place is free again
    assertEquals(0, inFlight.inFlight("tenant|inflight-it"));
    Caller.runAs(ivo, () -> openAi.chat(ask("gpt-4o-mini", "Now me")));

    // a stream the upstream cuts gives its place back too
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.eventStream(
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"Half\"},\"finish_reason\":null}]}\n\n"));
    assertThrows(
        RuntimeException.class,
        () -> Caller.runAs(ida, () -> openAi.streamChat(ask("gpt-4o-mini", "Cut me"), text -> {})));
    assertEquals(0, inFlight.inFlight("tenant|inflight-it"));
  }

  @Test
  void overTheTokensPerMinuteTheCallIsRefused() throws Exception {
    // token-it: 60 tokens per minute; one request of more than 60 counted tokens can never fit
    RateLimitRefusal e =
        assertThrows(
            RateLimitRefusal.class,
            () ->
                Caller.runAs(
                    Caller.of("token-it"),
                    () -> openAi.chat(ask("gpt-4o-mini", "tokens ".repeat(100)))));
    assertEquals("tokens", e.type());
    assertEquals(0, mock.count(MockAdmin.request("POST", CHAT)));
  }
}
