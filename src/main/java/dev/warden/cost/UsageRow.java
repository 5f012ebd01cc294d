package dev.warden.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a usage report: the values of the grouping dimensions (absent ones are not grouped
 * by), the number of calls, the tokens and the cost in USD.
 */
public record UsageRow(
    Map<String, String> group,
    long requests,
    long inputTokens,
    long cachedTokens,
    long outputTokens,
    long reasoningTokens,
    BigDecimal cost) {

  public UsageRow {
    group = Collections.unmodifiableMap(new LinkedHashMap<>(group));
  }

  /** The share of input tokens that the upstream served from its prompt cache (0–1). */
  public BigDecimal cachedShare() {
    if (inputTokens == 0) {
      return BigDecimal.ZERO;
    }
    return BigDecimal.valueOf(cachedTokens)
        .divide(BigDecimal.valueOf(inputTokens), 4, RoundingMode.HALF_UP);
  }
}
