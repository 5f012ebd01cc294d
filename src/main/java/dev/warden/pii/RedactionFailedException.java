package dev.warden.pii;

/**
 * Redaction failed unexpectedly (a detector threw, the input was not valid UTF-8, ...). Redaction
 * fails closed: the caller must refuse the request and send nothing upstream. The message and the
 * cause never carry text from the input: the cause, when present, is a stand-in that keeps only the
 * original exception's class name and stack trace.
 */
public final class RedactionFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure with a fixed, value-free message. */
  public RedactionFailedException(String message) {
    super(message);
  }

  /** A failure caused by {@code cause}, whose message is dropped (it may quote the input). */
  public RedactionFailedException(String message, Throwable cause) {
    super(message, sanitize(cause));
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
