package dev.warden.openai.error;

/**
 * 429 {@code insufficient_quota}: the account is out of credit or over its monthly limit. Retrying
 * cannot help, so it is not retriable although its status is 429.
 */
public class QuotaExceededException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public QuotaExceededException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
