package dev.warden.openai.error;

/**
 * 500 ({@code code} {@code redaction_failed}): the request could not be checked for personal data,
 * so Warden refused it and sent nothing upstream (redaction fails closed). Never retried. The
 * message is fixed and the cause carries no input text.
 */
public class RedactionFailureException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "redaction_failed";

  public RedactionFailureException(Throwable cause) {
    super(
        new ErrorInfo(
            500,
            "the request could not be checked for personal data; nothing was sent upstream",
            "server_error",
            CODE,
            null,
            null,
            null),
        cause);
  }
}
