package dev.warden.call.refusal;

import java.time.Duration;

/**
 * 429, code {@value #CODE}, type {@code requests} or {@code tokens} (as OpenAI's own rate-limit
 * errors): the caller is over Warden's requests or tokens per minute, or tokens per day, for it, or
 * has as many calls under way as its in-flight limit allows ({@link #inFlight}); {@code
 * Retry-After} says when the window has room again. Not to be confused with {@link
 * dev.warden.openai.error.RateLimitException}, the upstream's own 429, which Warden retries.
 */
public class RateLimitRefusal extends AdmissionRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "rate_limit_exceeded";

  /** When a call of the in-flight limit ends; the refusal suggests a retry after it. */
  static final Duration IN_FLIGHT_RETRY = Duration.ofSeconds(1);

  public RateLimitRefusal(String scope, String kind, long limit, Duration retryAfter) {
    this(scope, kind, "minute", limit, retryAfter);
  }

  private RateLimitRefusal(String message, Duration retryAfter) {
    super(429, "requests", CODE, null, message, retryAfter);
  }

  /**
   * The refusal of a call of a {@code scope} ({@code user}, {@code API key}, {@code tenant}) that
   * has {@code limit} calls under way already: type {@code requests}, {@code Retry-After} 1 s.
   */
  public static RateLimitRefusal inFlight(String scope, long limit) {
    return new RateLimitRefusal(
        "Too many requests in flight for this "
            + scope
            + ": limit "
            + limit
            + " at once. Please try again when one of them has finished.",
        IN_FLIGHT_RETRY);
  }

  /**
   * @param per {@code minute} or {@code day}
   */
  public RateLimitRefusal(String scope, String kind, String per, long limit, Duration retryAfter) {
    super(
        429,
        kind,
        CODE,
        null,
        "Rate limit reached for this "
            + scope
            + " on "
            + kind
            + " per "
            + per
            + ": limit "
            + limit
            + ". Please try again in "
            + Math.max(1, (retryAfter.toMillis() + 999) / 1000)
            + "s.",
        retryAfter);
  }
}
