package dev.warden.openai.error;

import java.time.Duration;

/**
 * 429, code {@code rate_limit_exceeded}, type {@code requests} or {@code tokens}, raised by Warden
 * before sending: the upstream's own {@code x-ratelimit-*} headers said its limit for this model
 * and credential is (nearly) spent until a reset further away than {@code
 * warden.openai.pacing.max-wait}. Nothing was sent; {@link #retryAfter()} is the time to the reset.
 * Not retried (the wait is what the caller is told), not counted by the circuit breaker.
 */
public class UpstreamRateLimitedException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  /** The error code, as OpenAI's own. */
  public static final String CODE = "rate_limit_exceeded";

  public UpstreamRateLimitedException(String kind, Duration retryAfter) {
    super(
        new ErrorInfo(
            429,
            "The upstream rate limit on "
                + kind
                + " is spent until its reset. Please try again in "
                + Math.max(1, (retryAfter.toMillis() + 999) / 1000)
                + "s.",
            kind,
            CODE,
            null,
            null,
            retryAfter),
        null);
  }
}
