package dev.warden.cost;

import dev.warden.call.CallContext;
import dev.warden.call.Outcome;
import dev.warden.openai.model.Batch;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Budgets for batches created through {@code /v1}. Creating the batch reserves the worst case of
 * all its lines at the Batch API's price ({@link Admission#admitBatch}); the batch answers long
 * before any usage exists, so the reservation is kept ({@link #hold}, table {@code cost_batch})
 * instead of being settled when the call returns. It is settled at the usage the batch reports when
 * the batch is seen to have ended — by a retrieve or a cancel through the pipeline, or by the
 * poller of {@link dev.warden.ai.DeferredCalls} — and released when the batch no longer exists
 * upstream. The settlement is recorded in the usage ledger under the creating call's request id and
 * caller, operation {@code batches.create}, at the batch price. Exactly one server settles each
 * batch (the row's delete is the claim).
 */
@ApplicationScoped
public class BatchCharges {

  private static final Logger LOG = Logger.getLogger(BatchCharges.class.getName());

  /** The statuses a batch ends in. */
  public static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

  @Inject BatchChargeStore store;
  @Inject Admission admission;
  @Inject UsageLedger ledger;
  @Inject Clock clock;

  /**
   * Keeps the reservation of {@code call} for the batch {@code batchId}; the call itself then
   * reports no cost. If it cannot be stored the reservation is released at once ({@code
   * WARDEN0663E}).
   */
  public void hold(String batchId, CallContext call, Reservation.Held held) {
    BatchCharge row = new BatchCharge();
    row.batchId = batchId;
    row.requestId = call.requestId();
    row.principal = call.caller().principal();
    row.tenant = call.caller().tenant();
    row.apiKeyId = call.caller().apiKeyId();
    row.model = held.model();
    row.inputTokens = held.inputTokens();
    row.reserved = held.reserved();
    row.holds = held.holdsJson();
    row.reservedAt = held.at().truncatedTo(ChronoUnit.MICROS);
    row.polledAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    try {
      store.save(row);
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0663E: the reservation of batch {0} could not be kept; it is released and the"
              + " batch will not be charged: {1}",
          new Object[] {batchId, e.getClass().getName()});
      admission.resume(held, true).settle(null, TokenUsage.NONE, Outcome.FAILED, false);
    }
  }

  /**
   * Settles the reservation of {@code batch} if it has ended (any status of {@link #ENDED}) and its
   * reservation is still held; does nothing otherwise. Never throws: a failure is logged ({@code
   * WARDEN0664W}) and the row stays for the next look.
   *
   * @return the cost, {@code null} when nothing was settled
   */
  public BigDecimal ended(Batch batch) {
    if (batch == null || batch.id() == null || !ENDED.contains(batch.status())) {
      return null;
    }
    try {
      return store
          .claim(batch.id())
          .map(row -> settle(row, usage(batch.usage()), outcome(batch.status())))
          .orElse(null);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0664W: a batch could not be settled now: {0}",
          e.getClass().getName());
      return null;
    }
  }

  /** Releases the reservation of {@code batchId} (gone upstream), if any. Never throws. */
  public void release(String batchId) {
    try {
      store.claim(batchId).ifPresent(row -> settle(row, TokenUsage.NONE, Outcome.FAILED));
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0664W: a batch could not be released now: {0}",
          e.getClass().getName());
    }
  }

  /** Whether a reservation is still kept for {@code batchId}. */
  public boolean pending(String batchId) {
    return store.find(batchId).isPresent();
  }

  /**
   * The batches to poll now: not polled for {@code every}, at most {@code limit} (each is marked
   * polled).
   */
  public List<BatchCharge> due(java.time.Duration every, int limit) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return store.due(now.minus(every), now, limit);
  }

  private BigDecimal settle(BatchCharge row, TokenUsage usage, Outcome outcome) {
    Reservation.Held held = row.held();
    BigDecimal cost = admission.resume(held, true).settle(row.model, usage, outcome, false);
    if (usage.total() > 0) {
      ledger.record(
          UsageLedger.entry(
              row.requestId,
              held.at(),
              row.caller(),
              row.model,
              null,
              null,
              "batches.create",
              outcome,
              true,
              usage,
              cost));
    }
    LOG.log(
        Level.FINE,
        "WARDEN0665I: batch of request {0} settled ({1})",
        new Object[] {row.requestId, outcome});
    return cost;
  }

  /** The usage a batch object reports ({@code input_tokens}, {@code output_tokens}, details). */
  static TokenUsage usage(JsonValue usage) {
    if (!(usage instanceof JsonObject u)) {
      return TokenUsage.NONE;
    }
    return new TokenUsage(
        number(u, "input_tokens"),
        number(detail(u, "input_tokens_details"), "cached_tokens"),
        number(u, "output_tokens"),
        number(detail(u, "output_tokens_details"), "reasoning_tokens"));
  }

  private static JsonObject detail(JsonObject o, String name) {
    return o.get(name) instanceof JsonObject d ? d : JsonValue.EMPTY_JSON_OBJECT;
  }

  private static long number(JsonObject o, String name) {
    return o.get(name) instanceof JsonNumber n ? n.longValue() : 0;
  }

  private static Outcome outcome(String status) {
    return switch (status) {
      case "completed" -> Outcome.SUCCEEDED;
      case "cancelled" -> Outcome.CANCELLED;
      default -> Outcome.FAILED;
    };
  }
}
