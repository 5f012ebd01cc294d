package dev.warden.openai.error;

/**
 * A failure that another attempt of the same request may not repeat: 408, 409, 429 rate limits,
 * 5xx, connection failures, timeouts and malformed answers. Retried by {@code @Retry}, counted by
 * the circuit breaker, and eligible for the fallback chain.
 */
public class RetriableOpenAiException extends OpenAiException {
  private static final long serialVersionUID = 1L;

  public RetriableOpenAiException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }

  @Override
  public final boolean isRetriable() {
    return true;
  }
}
