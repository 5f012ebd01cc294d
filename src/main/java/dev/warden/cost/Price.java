package dev.warden.cost;

import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

/**
 * One model's list price from {@code effectiveFrom} (UTC date) on, in USD per 1M tokens.
 *
 * @param batchDiscount the share (0–1) taken off every price through the Batch API
 * @param longContext the long-context tier, or {@code null} when the model has none
 */
public record Price(
    String model,
    LocalDate effectiveFrom,
    BigDecimal input,
    BigDecimal cachedInput,
    BigDecimal output,
    BigDecimal batchDiscount,
    LongContext longContext) {

  /**
   * OpenAI's long-context tier: a call whose input exceeds {@code threshold} tokens is priced, as a
   * whole (every input, cached and output token), at the input prices times {@code inputMultiplier}
   * and the output price times {@code outputMultiplier}.
   */
  public record LongContext(
      long threshold, BigDecimal inputMultiplier, BigDecimal outputMultiplier) {

    /** Whether a call of {@code inputTokens} input tokens is priced at this tier. */
    public boolean applies(long inputTokens) {
      return inputTokens > threshold;
    }
  }

  /** Costs are kept with this many decimals of a dollar (a millionth of a millionth). */
  public static final int SCALE = 12;

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** A model nobody priced: everything costs 0. */
  public static Price free(String model) {
    return new Price(
        model,
        LocalDate.EPOCH,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        null);
  }

  /**
   * The cost of {@code usage}: uncached input at the input price, cached input at the cached price,
   * output at the output price. OpenAI counts reasoning tokens inside the output tokens, so they
   * are output here too; should an upstream report more reasoning than output tokens, the larger
   * count is charged. When the input exceeds the long-context threshold ({@link LongContext}), the
   * whole call is priced at that tier.
   */
  public BigDecimal cost(TokenUsage usage, boolean batch) {
    long cached = Math.min(usage.cachedInput(), usage.input());
    long uncached = usage.input() - cached;
    long output = Math.max(usage.output(), usage.reasoning());
    BigDecimal inputPrice = input;
    BigDecimal cachedPrice = cachedInput;
    BigDecimal outputPrice = this.output;
    if (longContext != null && longContext.applies(usage.input())) {
      inputPrice = inputPrice.multiply(longContext.inputMultiplier());
      cachedPrice = cachedPrice.multiply(longContext.inputMultiplier());
      outputPrice = outputPrice.multiply(longContext.outputMultiplier());
    }
    BigDecimal sum =
        inputPrice
            .multiply(BigDecimal.valueOf(uncached))
            .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
            .add(outputPrice.multiply(BigDecimal.valueOf(output)));
    if (batch) {
      sum = sum.multiply(BigDecimal.ONE.subtract(batchDiscount));
    }
    return sum.divide(MILLION, SCALE, RoundingMode.HALF_UP);
  }
}
