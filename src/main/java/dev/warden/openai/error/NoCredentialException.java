package dev.warden.openai.error;

/** Warden has no upstream credential configured; no request was sent. {@code status()} is 0. */
public class NoCredentialException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public NoCredentialException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
