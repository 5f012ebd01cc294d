package dev.warden.audit.log;

/**
 * An audit record could not be written: the call it records fails rather than answer without its
 * record. The message names the request id only.
 */
public class AuditWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
