package dev.warden.gateway.identity;

/**
 * Credentials were presented but are not valid: a wrong password, an unknown, revoked or expired
 * API key, a JWT with a bad signature, issuer, audience or lifetime. The message is safe to show
 * the caller: it never echoes the credential.
 */
public class AuthenticationFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public AuthenticationFailedException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** A stable code: {@code invalid_api_key}, {@code invalid_credentials}, {@code invalid_token}. */
  public String code() {
    return code;
  }
}
