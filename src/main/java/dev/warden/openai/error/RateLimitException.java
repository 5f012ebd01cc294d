package dev.warden.openai.error;

/**
 * 429 {@code rate_limit_exceeded}: too many requests or tokens per minute; retried after the
 * server's {@code Retry-After}.
 */
public class RateLimitException extends RetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public RateLimitException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
