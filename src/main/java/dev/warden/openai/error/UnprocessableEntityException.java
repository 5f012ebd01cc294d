package dev.warden.openai.error;

/** 422: well-formed but semantically unacceptable request. */
public class UnprocessableEntityException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public UnprocessableEntityException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
