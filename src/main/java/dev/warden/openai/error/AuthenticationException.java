package dev.warden.openai.error;

/**
 * 401: the upstream key is missing, wrong, revoked or expired. The key itself is never part of the
 * message.
 */
public class AuthenticationException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
