package dev.warden.openai.error;

/** 409 from the upstream (a concurrent modification, e.g. of a stored response). */
public class ConflictException extends RetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public ConflictException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
