package dev.warden.openai.error;

/**
 * A failure that the same request will meet again: 400, 401, 403, 404, 422, exhausted quota. Never
 * retried, never counted against the circuit breaker, never answered by a fallback model.
 */
public class NonRetriableOpenAiException extends OpenAiException {
  private static final long serialVersionUID = 1L;

  public NonRetriableOpenAiException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }

  @Override
  public final boolean isRetriable() {
    return false;
  }
}
