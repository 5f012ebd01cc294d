package dev.warden.cost;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Rate limits as Bucket4j token buckets in a store every server shares (the database: {@link
 * CostProducer}), so N servers together admit a limit once, not N times.
 *
 * <p>Each limit of a key is one bucket, named by the key, the limit's kind and its value (a changed
 * limit starts a new bucket, the old one expires): requests per minute (each call takes 1), tokens
 * per minute and tokens per day (each call takes its counted tokens). A bucket holds the limit and
 * is refilled whole once per period, counted from its first use: within a period, exactly the limit
 * is admitted, across all servers. (The memory store, {@link RateLimiter}, slides its window
 * instead: after a burst, room comes back request by request.) A call is counted on all its buckets
 * or on none: when a later bucket refuses, the tokens taken from the earlier ones are given back.
 */
public final class BucketRateLimiter implements RateLimits {

  static final Duration MINUTE = Duration.ofMinutes(1);
  static final Duration DAY = Duration.ofDays(1);

  private final BiFunction<String, BucketConfiguration, Bucket> buckets;

  /**
   * @param buckets the bucket of a name, created with the configuration when the store has none
   */
  public BucketRateLimiter(BiFunction<String, BucketConfiguration, Bucket> buckets) {
    this.buckets = buckets;
  }

  @Override
  public Optional<Refusal> tryAcquire(
      String key, long requestsPerMinute, long tokensPerMinute, long tokensPerDay, long tokens) {
    List<Limit> limits = new ArrayList<>(3);
    if (requestsPerMinute > 0) {
      limits.add(new Limit("requests", "minute", requestsPerMinute, MINUTE, 1));
    }
    if (tokensPerMinute > 0) {
      limits.add(new Limit("tokens", "minute", tokensPerMinute, MINUTE, tokens));
    }
    if (tokensPerDay > 0) {
      limits.add(new Limit("tokens", "day", tokensPerDay, DAY, tokens));
    }
    List<Taken> taken = new ArrayList<>(limits.size());
    for (Limit limit : limits) {
      if (limit.cost > limit.value) { // never fits: no bucket to touch
        giveBack(taken);
        return Optional.of(limit.refusal(limit.period));
      }
      if (limit.cost == 0) {
        continue;
      }
      Bucket bucket = buckets.apply(limit.bucketName(key), limit.configuration());
      ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(limit.cost);
      if (!probe.isConsumed()) {
        giveBack(taken);
        return Optional.of(limit.refusal(wait(probe.getNanosToWaitForRefill(), limit.period)));
      }
      taken.add(new Taken(bucket, limit.cost));
    }
    return Optional.empty();
  }

  private static void giveBack(List<Taken> taken) {
    for (Taken t : taken) {
      t.bucket.addTokens(t.tokens);
    }
  }

  /** The wait Bucket4j reports, at least a millisecond and at most the period. */
  private static Duration wait(long nanos, Duration period) {
    if (nanos <= 0) {
      return Duration.ofMillis(1);
    }
    Duration d = Duration.ofNanos(nanos);
    return d.compareTo(period) > 0 ? period : d;
  }

  private record Taken(Bucket bucket, long tokens) {}

  private record Limit(String kind, String per, long value, Duration period, long cost) {

    String bucketName(String key) {
      return key + "|" + kind + "-per-" + per + "|" + value;
    }

    BucketConfiguration configuration() {
      return BucketConfiguration.builder()
          .addLimit(l -> l.capacity(value).refillIntervally(value, period))
          .build();
    }

    Refusal refusal(Duration retryAfter) {
      return new Refusal(kind, per, value, retryAfter);
    }
  }
}
