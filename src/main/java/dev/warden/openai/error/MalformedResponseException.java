package dev.warden.openai.error;

/**
 * A success status whose body could not be read as the expected JSON (a broken proxy, a cut body).
 */
public class MalformedResponseException extends RetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public MalformedResponseException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
