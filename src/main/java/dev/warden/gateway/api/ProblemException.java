package dev.warden.gateway.api;

/**
 * A failure of a Warden {@code /api} request, answered as problem JSON (RFC 9457) by {@link
 * ProblemExceptionMapper}: {@code status}, a short {@code title}, the {@code detail} for the caller
 * and a stable {@code code}.
 */
public class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public ProblemException(int status, String code, String detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  /** 400 for a bad query parameter, naming it. */
  public static ProblemException badParameter(String name, String detail) {
    return new ProblemException(400, "invalid_parameter", name + ": " + detail);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
