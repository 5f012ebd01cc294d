package dev.warden.openai.error;

/**
 * The circuit breaker is open after repeated upstream failures, and no fallback answered: the call
 * was refused without contacting the upstream. {@code status()} is 503.
 */
public class CircuitOpenException extends RetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public CircuitOpenException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
