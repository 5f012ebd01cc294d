package dev.warden.openai.error;

/** The connect or read timeout elapsed before the upstream answered. {@code status()} is 0. */
public class UpstreamTimeoutException extends ConnectionException {
  private static final long serialVersionUID = 1L;

  public UpstreamTimeoutException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
