package dev.warden.cost;

import java.time.Duration;

/**
 * 429, code {@code rate_limit_exceeded}, type {@code requests} or {@code tokens} (as OpenAI's own
 * rate-limit errors): the caller is over its requests or tokens per minute; {@code Retry-After}
 * says when the window has room again.
 */
public class RateLimitedException extends AdmissionRefusedException {
  private static final long serialVersionUID = 1L;

  public RateLimitedException(String scope, String kind, long limit, Duration retryAfter) {
    super(
        429,
        kind,
        "rate_limit_exceeded",
        "Rate limit reached for this "
            + scope
            + " on "
            + kind
            + " per minute: limit "
            + limit
            + ". Please try again in "
            + Math.max(1, (retryAfter.toMillis() + 999) / 1000)
            + "s.",
        retryAfter);
  }
}
