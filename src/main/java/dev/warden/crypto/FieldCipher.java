package dev.warden.crypto;

/**
 * Authenticated encryption of one field value (AEAD-shaped, like Tink's {@code Aead}).
 *
 * <p>The associated data is authenticated but not encrypted; build it with {@link
 * AssociatedData#forField} so a ciphertext only decrypts in the table, column and row it was
 * written for. Implementations are thread-safe.
 */
public interface FieldCipher {

  /**
   * Encrypts {@code plaintext}, binding {@code associatedData}.
   *
   * @throws AuditCryptoException if encryption fails (for a subject key: if the key cannot be
   *     created or read)
   */
  byte[] encrypt(byte[] plaintext, byte[] associatedData);

  /**
   * Decrypts a ciphertext made by {@link #encrypt} with the same associated data.
   *
   * @throws SubjectErasedException if the data subject's key has been destroyed (the value is
   *     erased, not tampered with)
   * @throws AuditCryptoException if the ciphertext does not authenticate: wrong associated data
   *     (other row, column or table), unknown key, or modified bytes
   */
  byte[] decrypt(byte[] ciphertext, byte[] associatedData);
}
