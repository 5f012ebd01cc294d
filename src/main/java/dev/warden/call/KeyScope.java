package dev.warden.call;

import java.math.BigDecimal;
import java.util.Set;

/**
 * What a Warden API key may do, carried on its {@link Caller}: the models it may call (empty: any),
 * its own daily and monthly budgets in USD, and its own rate limits ({@code null}: the configured
 * ones apply). {@link #NONE} for callers without a key.
 */
public record KeyScope(
    Set<String> models,
    BigDecimal dailyBudget,
    BigDecimal monthlyBudget,
    Long requestsPerMinute,
    Long tokensPerMinute) {

  /** No restriction beyond configuration. */
  public static final KeyScope NONE = new KeyScope(Set.of(), null, null, null, null);

  public KeyScope {
    models = models == null ? Set.of() : Set.copyOf(models);
  }

  /**
   * Whether this scope lets its key call {@code model} ({@code null}: an operation without one).
   */
  public boolean allows(String model) {
    return model == null || models.isEmpty() || models.contains(model);
  }
}
