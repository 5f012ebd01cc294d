package dev.warden.openai.error;

/** 408 from the upstream. */
public class RequestTimeoutException extends RetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public RequestTimeoutException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
