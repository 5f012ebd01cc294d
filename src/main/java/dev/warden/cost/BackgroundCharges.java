package dev.warden.cost;

import dev.warden.call.CallContext;
import dev.warden.call.Outcome;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Budgets for Responses calls made with {@code background: true}. Such a call answers at once
 * ({@code queued}), before any usage exists, so its reservation is kept ({@link #hold}, table
 * {@code cost_background}) instead of being settled when the call returns. It is settled at the
 * actual usage when the response is seen to have ended — by a retrieve or a cancel through the
 * pipeline (any caller, including {@link dev.warden.ai.job.Jobs}' poller), or by the poller of
 * {@link dev.warden.ai.DeferredCalls} — and released when it ends without usage, is deleted, or no
 * longer exists upstream. The settlement is recorded in the usage ledger under the call's own
 * request id, caller and prompt. Exactly one server settles each response (the row's delete is the
 * claim).
 */
@ApplicationScoped
public class BackgroundCharges {

  private static final Logger LOG = Logger.getLogger(BackgroundCharges.class.getName());

  /** The statuses a response ends in. */
  public static final Set<String> ENDED = Set.of("completed", "failed", "cancelled", "incomplete");

  @Inject BackgroundChargeStore store;
  @Inject Admission admission;
  @Inject UsageLedger ledger;
  @Inject Clock clock;

  /**
   * Keeps the reservation of {@code call} for the background response {@code responseId}, which has
   * not ended yet; the call itself then reports no cost. If it cannot be stored the reservation is
   * released at once ({@code WARDEN0661E}).
   */
  public void hold(String responseId, CallContext call, Reservation.Held held) {
    BackgroundCharge row = new BackgroundCharge();
    row.responseId = responseId;
    row.requestId = call.requestId();
    row.principal = call.caller().principal();
    row.tenant = call.caller().tenant();
    row.apiKeyId = call.caller().apiKeyId();
    row.model = held.model();
    row.promptId = call.promptId();
    row.promptVersion = call.promptVersion();
    row.inputTokens = held.inputTokens();
    row.reserved = held.reserved();
    row.holds = held.holdsJson();
    row.reservedAt = held.at().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    row.polledAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    try {
      store.save(row);
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0661E: the reservation of background response "
              + responseId
              + " could not be kept; it is released and the response will not be charged",
          e);
      admission.resume(held, false).settle(null, TokenUsage.NONE, Outcome.FAILED, false);
    }
  }

  /**
   * Settles the reservation of {@code response} if it is a background response that has ended (any
   * status of {@link #ENDED}); does nothing otherwise or when it was settled already.
   *
   * <p>Never throws: a failure is logged ({@code WARDEN0662W}) and the row stays for the next look.
   *
   * @return the cost, {@code null} when nothing was settled
   */
  public BigDecimal ended(ModelResponse response) {
    if (response == null || response.id() == null || !ENDED.contains(response.status())) {
      return null;
    }
    try {
      return store
          .claim(response.id())
          .map(row -> settle(row, TokenUsage.of(response.usage()), outcome(response)))
          .orElse(null);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "WARDEN0662W: a background response could not be settled now", e);
      return null;
    }
  }

  /**
   * Releases the reservation of {@code responseId} (deleted, or gone upstream), if any. Never
   * throws (see {@link #ended}).
   */
  public void release(String responseId) {
    try {
      store.claim(responseId).ifPresent(row -> settle(row, TokenUsage.NONE, Outcome.FAILED));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "WARDEN0662W: a background response could not be released now", e);
    }
  }

  /** Whether a reservation is still kept for {@code responseId}. */
  public boolean pending(String responseId) {
    return store.find(responseId).isPresent();
  }

  /**
   * The background responses to poll now: not polled for {@code every}, at most {@code limit} (each
   * is marked polled).
   */
  public List<BackgroundCharge> due(java.time.Duration every, int limit) {
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return store.due(now.minus(every), now, limit);
  }

  /** Settles at the requested model's price (a background call has no fallback model). */
  private BigDecimal settle(BackgroundCharge row, TokenUsage usage, Outcome outcome) {
    Reservation.Held held = row.held();
    BigDecimal cost = admission.resume(held, false).settle(row.model, usage, outcome, false);
    if (usage.total() > 0) {
      ledger.record(
          UsageLedger.entry(
              row.requestId,
              held.at(),
              row.caller(),
              row.model,
              row.promptId,
              row.promptVersion,
              "responses.create",
              outcome,
              false,
              usage,
              cost));
    }
    LOG.log(
        Level.FINE,
        "WARDEN0660I: background response of request {0} settled ({1})",
        new Object[] {row.requestId, outcome});
    return cost;
  }

  private static Outcome outcome(ModelResponse response) {
    return switch (response.status()) {
      case "completed", "incomplete" -> Outcome.SUCCEEDED;
      case "cancelled" -> Outcome.CANCELLED;
      default -> Outcome.FAILED;
    };
  }
}
