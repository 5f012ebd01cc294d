package dev.warden.openai.error;

/**
 * Every upstream connection was busy for longer than the configured wait; no request was sent. Not
 * retried: retrying a saturated pool only adds load. {@code status()} is 0.
 */
public class ConnectionPoolExhaustedException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public ConnectionPoolExhaustedException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
