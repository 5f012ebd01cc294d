package dev.warden.call;

import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;

/**
 * What admission holds of a caller's budgets for one call: a call charges it exactly once when it
 * ends, with the tokens it used. The cost package implements it; the call only charges it.
 */
public interface BudgetHold {

  /**
   * What a call is charged: its cost, and the settlement of its budgets (the reservation released,
   * the cost added to the spend), which the audit log writes in the transaction of the call's
   * record (a {@link CallCompanion} row), so a call's record, usage entry and spend commit
   * together.
   *
   * @param cost in USD
   * @param settlement the row to write, {@code null} when there is nothing to settle (no budget, or
   *     charged before)
   */
  record Charge(BigDecimal cost, Object settlement) {}

  /**
   * Prices the used tokens, once; later calls return the same cost and no settlement.
   *
   * @param answeredBy the model that answered ({@code null}: the requested one)
   * @param usage the tokens used, {@code null} when the upstream reported none
   * @param outcome how the call ended
   * @param streamStarted whether a stream had relayed its first event
   */
  Charge charge(String answeredBy, TokenUsage usage, Outcome outcome, boolean streamStarted);
}
