package dev.warden.call;

import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;

/**
 * What admission holds of a caller's budgets for one call: a call settles it exactly once when it
 * ends, with the tokens it used. The cost package implements it; the call only settles it.
 */
public interface BudgetHold {

  /**
   * Charges the used tokens and releases the rest of the hold, once; later calls return the same
   * cost.
   *
   * @param answeredBy the model that answered ({@code null}: the requested one)
   * @param usage the tokens used, {@code null} when the upstream reported none
   * @param outcome how the call ended
   * @param streamStarted whether a stream had relayed its first event
   * @return the cost in USD
   */
  BigDecimal settle(String answeredBy, TokenUsage usage, Outcome outcome, boolean streamStarted);
}
