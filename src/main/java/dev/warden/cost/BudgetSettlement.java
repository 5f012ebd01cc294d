package dev.warden.cost;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The settlement of one call's budget reservation: each of {@code holds} is released and {@code
 * actual} is added to the spend of its budget. A call's settlement is written by {@link Budgets} in
 * the transaction of the call's audit record, with its usage entry, so the spend and the ledger
 * agree whatever happens to the database in between; data only, so the audit journal can keep it.
 */
public record BudgetSettlement(List<Budgets.Hold> holds, BigDecimal actual)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Logger LOG = Logger.getLogger(BudgetSettlement.class.getName());

  public BudgetSettlement {
    holds = List.copyOf(holds);
  }

  /**
   * Settles on its own, in {@code settle}'s transaction; a failure is logged ({@code WARDEN0623E}),
   * never thrown.
   */
  void settleWith(BiConsumer<List<Budgets.Hold>, BigDecimal> settle) {
    try {
      settle.accept(holds, actual);
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0623E: a budget settlement failed; the reservation stays held until the period"
              + " ends",
          e);
    }
  }
}
