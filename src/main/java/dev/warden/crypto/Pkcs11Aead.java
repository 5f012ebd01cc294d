package dev.warden.crypto;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A Tink {@link Aead} over an AES key inside a PKCS#11 token (an HSM): AES-GCM computed by the
 * token through Java's {@code SunPKCS11} provider, so the key never leaves it. Ciphertext: a
 * version byte {@code 0x01}, the random 12-byte IV, then the GCM ciphertext and 16-byte tag.
 * Thread-safe (a {@link Cipher} per call).
 */
final class Pkcs11Aead implements Aead {
  private static final byte VERSION = 1;
  private static final int IV_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final Provider provider;
  private final Key key;
  private final SecureRandom random = new SecureRandom();

  Pkcs11Aead(Provider provider, Key key) {
    this.provider = provider;
    this.key = key;
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    Cipher cipher = Cipher.getInstance(TRANSFORMATION, provider);
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
    if (associatedData != null && associatedData.length > 0) {
      cipher.updateAAD(associatedData);
    }
    byte[] sealed = cipher.doFinal(plaintext);
    byte[] out = new byte[1 + IV_LENGTH + sealed.length];
    out[0] = VERSION;
    System.arraycopy(iv, 0, out, 1, IV_LENGTH);
    System.arraycopy(sealed, 0, out, 1 + IV_LENGTH, sealed.length);
    return out;
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    if (ciphertext == null
        || ciphertext.length < 1 + IV_LENGTH + TAG_BITS / 8
        || ciphertext[0] != VERSION) {
      throw new GeneralSecurityException("not a ciphertext of this key-encryption key");
    }
    Cipher cipher = Cipher.getInstance(TRANSFORMATION, provider);
    cipher.init(
        Cipher.DECRYPT_MODE,
        key,
        new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(ciphertext, 1, 1 + IV_LENGTH)));
    if (associatedData != null && associatedData.length > 0) {
      cipher.updateAAD(associatedData);
    }
    return cipher.doFinal(ciphertext, 1 + IV_LENGTH, ciphertext.length - 1 - IV_LENGTH);
  }

  @Override
  public String toString() {
    return "Pkcs11Aead[" + provider.getName() + "]";
  }
}
