package dev.warden.cost;

import java.time.Duration;
import java.util.Optional;

/**
 * Where rate limits are counted: in this server's memory ({@link RateLimiter}) or in a store every
 * server shares ({@link BucketRateLimiter} on the database), as {@value #STORE} chooses.
 */
public interface RateLimits {

  /**
   * Where the counts live: {@code memory} (this server only: N servers admit up to N times a
   * limit), {@code database} (every server on the database counts together; PostgreSQL only) or
   * {@code auto} (the default: {@code database} on PostgreSQL, else {@code memory}).
   */
  static final String STORE = "warden.rate.store";

  /**
   * Why a call was not admitted: which limit ({@code requests} or {@code tokens}), per what ({@code
   * minute} or {@code day}), and when there is room for it.
   */
  record Refusal(String kind, String per, long limit, Duration retryAfter) {}

  /**
   * Admits one request of {@code tokens} tokens under {@code key} if it fits every limit (a limit
   * of 0 or less is none), and counts it; otherwise counts nothing and says why.
   */
  Optional<Refusal> tryAcquire(
      String key, long requestsPerMinute, long tokensPerMinute, long tokensPerDay, long tokens);

  /** {@link #tryAcquire(String, long, long, long, long)} without a daily limit. */
  default Optional<Refusal> tryAcquire(
      String key, long requestsPerMinute, long tokensPerMinute, long tokens) {
    return tryAcquire(key, requestsPerMinute, tokensPerMinute, 0, tokens);
  }
}
