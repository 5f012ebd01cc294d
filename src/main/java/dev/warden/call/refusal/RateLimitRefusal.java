package dev.warden.call.refusal;

import java.time.Duration;

/**
 * 429, code {@value #CODE}, type {@code requests} or {@code tokens} (as OpenAI's own rate-limit
 * errors): the caller is over Warden's requests or tokens per minute, or tokens per day, for it;
 * {@code Retry-After} says when the window has room again. Not to be confused with {@link
 * dev.warden.openai.error.RateLimitException}, the upstream's own 429, which Warden retries.
 */
public class RateLimitRefusal extends AdmissionRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "rate_limit_exceeded";

  public RateLimitRefusal(String scope, String kind, long limit, Duration retryAfter) {
    this(scope, kind, "minute", limit, retryAfter);
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
