package dev.warden.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.DeferredCall;
import dev.warden.ai.DeferredCallEndedException;
import dev.warden.ai.DeferredCalls;
import dev.warden.ai.NoSuchDeferredCallException;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.EntryPoint;
import dev.warden.call.Outcome;
import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.cost.BudgetStore;
import dev.warden.cost.PriceTable;
import dev.warden.cost.UsageEntry;
import dev.warden.cost.UsageLedger;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.stream.TokenUsage;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Deferred calls (issue #6, batch routing) inside the server, against the mock's Batch API: a
 * deferred call is admitted at the batch price, sent as a line of an uploaded JSONL file, polled by
 * the managed scheduler (every second on the IT server), matched back by {@code custom_id}, priced
 * at the batch price, settled, recorded in the ledger, and audited once; an expired batch releases
 * its reservations; a refused call fails at once.
 */
class DeferredIT extends WardenIntegrationTest {

  private static final String EMAIL = "dora.deferred@example.com";

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject DeferredCalls deferred;
  @Inject CostRows rows;
  @Inject PriceTable prices;
  @Inject UsageLedger ledger;
  @Inject AuditReader audit;

  /**
   * The audit records of {@code requestId}, once written. Deferred calls finish on the scheduler's
   * thread, where the call log may observe the report before the audit log and the ledger do.
   */
  private List<AuditRecord> recordsOf(String requestId, boolean ledgered) {
    return await("the audit records of " + requestId + (ledgered ? " and its ledger entry" : ""))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> audit.byRequestId(requestId),
            records -> !records.isEmpty() && (!ledgered || !ledger.byRequest(requestId).isEmpty()));
  }

  private static boolean deferredCallOf(CallFinished c, Caller who) {
    return c.batched() && c.caller().equals(who) && c.operation().equals("chat.completions");
  }

  @Test
  void deferredCallsGoThroughTheBatchApiAndArePricedAtTheBatchPrice() throws Exception {
    Caller dora = Caller.of("deferred-it");
    rows.forget(dora.principal());
    List<DeferredCall> submitted =
        Caller.runAs(
            dora,
            () ->
                openAi.defer(
                    List.of(
                        ask("gpt-4o-mini", "Write to " + EMAIL + " about the invoice"),
                        ask("gpt-4o-mini", "Summarise the minutes"))));
    assertEquals(2, submitted.size());
    for (DeferredCall d : submitted) {
      assertEquals(DeferredCall.Status.SUBMITTED, d.status(), d.toString());
      assertTrue(d.batchId() != null && d.batchId().startsWith("batch_"), d.toString());
    }
    // reserved at submission, nothing called synchronously
    BudgetStore.Row held = rows.daily("deferred-it");
    assertTrue(held.reserved().signum() > 0, held.toString());
    assertEquals(0, mock.count(MockAdmin.request("POST", CHAT)));
    assertEquals(1, mock.count(MockAdmin.request("POST", "/v1/batches")));
    List<JsonObject> uploads = mock.find(MockAdmin.request("POST", "/v1/files"));
    assertEquals(1, uploads.size());
    String uploaded = uploads.get(0).getString("body");
    assertFalse(uploaded.contains(EMAIL), "the batch file went upstream unredacted");
    assertTrue(uploaded.contains(submitted.get(0).id()), "custom_id is the deferred call's id");

    // the managed scheduler polls the batch until it ends; each call then reports once
    List<CallFinished> done =
        callLog.await(c -> deferredCallOf(c, dora), 2, Duration.ofSeconds(30));
    assertEquals(2, done.size(), "deferred calls finished: " + done);

    BigDecimal costs = BigDecimal.ZERO;
    for (DeferredCall d : submitted) {
      DeferredCall now = Caller.runAs(dora, () -> openAi.deferred(d.id()));
      assertEquals(DeferredCall.Status.COMPLETED, now.status(), now.toString());
      assertEquals("gpt-4o-mini", now.answeredBy());
      TokenUsage usage = now.usage();
      assertTrue(usage.input() > 0 && usage.output() > 0, now.toString());
      BigDecimal batchPrice =
          prices.priceAt("gpt-4o-mini", Instant.now()).orElseThrow().cost(usage, true);
      BigDecimal listPrice =
          prices.priceAt("gpt-4o-mini", Instant.now()).orElseThrow().cost(usage, false);
      assertEquals(0, batchPrice.compareTo(now.cost()), batchPrice + " vs " + now.cost());
      assertTrue(now.cost().compareTo(listPrice) < 0, "batch price below list price");
      costs = costs.add(now.cost());

      CallFinished report =
          done.stream().filter(c -> c.requestId().equals(d.requestId())).findFirst().orElseThrow();
      assertEquals(Outcome.SUCCEEDED, report.outcome());
      assertEquals(0, now.cost().compareTo(report.cost()));
      assertTrue(report.routeReason().startsWith("deferred: batch " + d.batchId()));

      List<AuditRecord> records = recordsOf(d.requestId(), true);
      List<UsageEntry> entries = ledger.byRequest(d.requestId());
      assertEquals(1, entries.size());
      assertTrue(entries.get(0).batch());
      assertEquals("deferred-it", entries.get(0).principal());

      assertEquals(1, records.size(), "one audit record per deferred call");
      assertEquals("SUCCEEDED", records.get(0).getOutcome());
      assertEquals("chat.completions", records.get(0).getOperation());
      assertTrue(records.get(0).getRouteReason().startsWith("deferred: batch "));
    }
    BudgetStore.Row after = rows.daily("deferred-it");
    assertEquals(0, after.reserved().signum(), after.toString());
    assertEquals(0, costs.compareTo(after.spent()), costs + " vs " + after);

    // the answer, read back from the output file and restored from its placeholders
    ChatCompletion answer =
        Caller.runAs(dora, () -> openAi.deferredResult(submitted.get(0).id())).orElseThrow();
    assertEquals("Mock answer to: Write to " + EMAIL + " about the invoice", answer.firstText());

    // only the owner sees it
    assertThrows(
        NoSuchDeferredCallException.class,
        () -> deferred.status(submitted.get(0).id(), Caller.of("someone-else")));
  }

  @Test
  void anExpiredBatchReleasesTheReservationsOfItsCalls() throws Exception {
    Caller eve = Caller.of("deferred-it");
    rows.forget(eve.principal());
    // every poll of a batch finds it expired, with no output
    JsonObject expired =
        Json.createObjectBuilder()
            .add("id", "batch_expired_by_test")
            .add("object", "batch")
            .add("endpoint", "/v1/chat/completions")
            .add("input_file_id", "file-unused")
            .add("completion_window", "24h")
            .add("status", "expired")
            .add("created_at", 1)
            .add("expired_at", 2)
            .build();
    mock.stub(
        Json.createObjectBuilder().add("method", "GET").add("urlPathPattern", "/v1/batches/.+"),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", expired.toString()));
    DeferredCall d = Caller.runAs(eve, () -> openAi.defer(ask("gpt-4o-mini", "Later, please")));
    assertTrue(rows.daily("deferred-it").reserved().signum() > 0);

    List<CallFinished> done = callLog.await(c -> deferredCallOf(c, eve), 1, Duration.ofSeconds(30));
    assertEquals(1, done.size());
    assertEquals(Outcome.FAILED, done.get(0).outcome());
    assertEquals(DeferredCallEndedException.class.getSimpleName(), done.get(0).errorType());

    DeferredCall now = Caller.runAs(eve, () -> openAi.deferred(d.id()));
    assertEquals(DeferredCall.Status.EXPIRED, now.status());
    assertEquals("batch_expired", now.errorCode());
    assertEquals(0, now.cost().signum());
    // the release commits with the call's audit record
    List<AuditRecord> records = recordsOf(d.requestId(), false);
    BudgetStore.Row after = rows.daily("deferred-it");
    assertEquals(0, after.reserved().signum(), after.toString());
    assertEquals(0, after.spent().signum(), after.toString());
    assertEquals(1, records.size());
    assertEquals("FAILED", records.get(0).getOutcome());
    assertTrue(ledger.byRequest(d.requestId()).isEmpty());
    assertThrows(
        IllegalStateException.class, () -> Caller.runAs(eve, () -> openAi.deferredResult(d.id())));
  }

  @Test
  void aCallOverItsBudgetIsRefusedAtSubmission() throws Exception {
    Caller poor = Caller.of("deferred-poor-it");
    rows.forget(poor.principal());
    assertThrows(
        BudgetRefusal.class,
        () -> Caller.runAs(poor, () -> openAi.defer(ask("gpt-4o-mini", "Too dear"))));
    List<DeferredCall> some =
        Caller.runAs(
            poor,
            () -> deferred.deferAll(EntryPoint.CDI, List.of(ask("gpt-4o-mini", "Also too dear"))));
    assertEquals(DeferredCall.Status.FAILED, some.get(0).status());
    assertEquals("budget_exceeded", some.get(0).errorCode());
    assertNull(some.get(0).batchId());
    assertEquals(0, mock.count(MockAdmin.request("POST", "/v1/files")));
    assertEquals(0, rows.daily("deferred-poor-it").reserved().signum());
    // each refused call was reported, hence audited, once
    assertEquals(
        1, audit.byRequestId(some.get(0).requestId()).size(), "the refusal's audit record");
  }
}
