package dev.warden.openai.error;

/** Any other non-success status (other 4xx, unexpected 3xx). */
public class UnexpectedStatusException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public UnexpectedStatusException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
