package dev.warden.call.refusal;

/**
 * 500 {@code server_error}, code {@value #CODE}: redaction failed unexpectedly (a detector threw,
 * the input was not valid UTF-8, ...), so the request could not be checked for personal data.
 * Redaction fails closed: Warden refuses the request and sends nothing upstream. The message is
 * fixed; the {@link #reason() reason} is a fixed, value-free phrase; the cause, when present, is a
 * stand-in that keeps only the original exception's class name and stack trace (its message may
 * quote the input).
 */
public final class RedactionFailedRefusal extends WardenRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "redaction_failed";

  private final String reason;

  /** A failure with a fixed, value-free {@code reason}. */
  public RedactionFailedRefusal(String reason) {
    this(reason, null);
  }

  /** A failure caused by {@code cause}, whose message is dropped (it may quote the input). */
  public RedactionFailedRefusal(String reason, Throwable cause) {
    super(
        500,
        "server_error",
        CODE,
        null,
        "the request could not be checked for personal data; nothing was sent upstream",
        null,
        sanitize(cause));
    this.reason = reason;
  }

  /** What failed, such as {@code PII detection failed}; never a value. */
  public String reason() {
    return reason;
  }

  private static Throwable sanitize(Throwable cause) {
    if (cause == null) {
      return null;
    }
    RuntimeException standIn =
        new RuntimeException(cause.getClass().getName() + " (message withheld)");
    standIn.setStackTrace(cause.getStackTrace());
    return standIn;
  }
}
