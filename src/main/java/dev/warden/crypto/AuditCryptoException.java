package dev.warden.crypto;

/**
 * A cryptographic operation on audit data failed: a ciphertext did not authenticate, a key could
 * not be read, or a keyset is unusable. Messages never contain key material or plaintext.
 */
public class AuditCryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditCryptoException(String message) {
    super(message);
  }

  public AuditCryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
