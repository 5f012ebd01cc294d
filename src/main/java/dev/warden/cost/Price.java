package dev.warden.cost;

import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

/**
 * One model's list price from {@code effectiveFrom} (UTC date) on, in USD per 1M tokens.
 *
 * @param batchDiscount the share (0–1) taken off every price through the Batch API
 */
public record Price(
    String model,
    LocalDate effectiveFrom,
    BigDecimal input,
    BigDecimal cachedInput,
    BigDecimal output,
    BigDecimal batchDiscount) {

  /** Costs are kept with this many decimals of a dollar (a millionth of a millionth). */
  public static final int SCALE = 12;

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** A model nobody priced: everything costs 0. */
  public static Price free(String model) {
    return new Price(
        model, LocalDate.EPOCH, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
  }

  /**
   * The cost of {@code usage}: uncached input at the input price, cached input at the cached price,
   * output at the output price. OpenAI counts reasoning tokens inside the output tokens, so they
   * are output here too; should an upstream report more reasoning than output tokens, the larger
   * count is charged.
   */
  public BigDecimal cost(TokenUsage usage, boolean batch) {
    long cached = Math.min(usage.cachedInput(), usage.input());
    long uncached = usage.input() - cached;
    long output = Math.max(usage.output(), usage.reasoning());
    BigDecimal sum =
        input
            .multiply(BigDecimal.valueOf(uncached))
            .add(cachedInput.multiply(BigDecimal.valueOf(cached)))
            .add(this.output.multiply(BigDecimal.valueOf(output)));
    if (batch) {
      sum = sum.multiply(BigDecimal.ONE.subtract(batchDiscount));
    }
    return sum.divide(MILLION, SCALE, RoundingMode.HALF_UP);
  }
}
