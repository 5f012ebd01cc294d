package dev.warden.ai;

import dev.warden.config.Settings;
import dev.warden.openai.error.OpenAiException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before retry number {@code n} (1 = the first retry).
 *
 * <p>When the failed attempt carried a server hint ({@code retry-after-ms} or {@code Retry-After}),
 * the wait is the hint, capped at {@code retryAfterCap}, plus up to {@code jitter}·10% of it (never
 * less than the server asked, unless the cap says so). Otherwise it is exponential, {@code initial
 * · 2^(n-1)} capped at {@code max}, reduced by a random share of up to {@code jitter} so that many
 * clients do not retry in step. The defaults are OpenAI's own advice: 1 s initial, 60 s maximum,
 * and full jitter ({@code jitter} 1: the wait is uniformly random between 0 and the step).
 */
public record Backoff(Duration initial, Duration max, double jitter, Duration retryAfterCap) {

  static final String PREFIX = "warden.retry.";

  public static Backoff from(Settings s) {
    return new Backoff(
        s.duration(PREFIX + "initial-delay", Duration.ofSeconds(1)),
        s.duration(PREFIX + "max-delay", Duration.ofSeconds(60)),
        s.decimal(PREFIX + "jitter", 1.0, 0, 1),
        s.duration(PREFIX + "retry-after-cap", Duration.ofSeconds(30)));
  }

  /**
   * The wait before retry {@code retry} after {@code failure}.
   *
   * @param random a source of numbers in [0, 1)
   */
  public Duration delayBefore(int retry, OpenAiException failure, DoubleSupplier random) {
    Optional<Duration> hint = failure == null ? Optional.empty() : failure.retryAfter();
    if (hint.isPresent()) {
      Duration wanted = hint.get();
      if (wanted.compareTo(retryAfterCap) >= 0) {
        return retryAfterCap;
      }
      long extra = (long) (wanted.toNanos() * 0.1 * jitter * random.getAsDouble());
      Duration withJitter = wanted.plusNanos(extra);
      return withJitter.compareTo(retryAfterCap) > 0 ? retryAfterCap : withJitter;
    }
    int exponent = Math.min(Math.max(retry - 1, 0), 30);
    long base = initial.toNanos();
    long exp = base > (Long.MAX_VALUE >> exponent) ? Long.MAX_VALUE : base << exponent;
    long capped = Math.min(exp, max.toNanos());
    return Duration.ofNanos((long) (capped * (1 - jitter * random.getAsDouble())));
  }
}
