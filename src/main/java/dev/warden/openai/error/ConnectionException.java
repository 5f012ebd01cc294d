package dev.warden.openai.error;

/** No answer: connection refused or reset, DNS or TLS failure. {@code status()} is 0. */
public class ConnectionException extends RetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public ConnectionException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
