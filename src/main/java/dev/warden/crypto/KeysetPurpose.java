package dev.warden.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a keyset is for. An encrypted keyset is bound to its purpose: the purpose's name is the
 * associated data of its encryption under the key-encryption key, so a pseudonym keyset file cannot
 * be configured (by mistake or on purpose) where the master keyset is expected.
 */
public enum KeysetPurpose {
  /** The master AEAD keyset ({@link MasterKeyset}). */
  MASTER("master"),
  /** The checkpoint MAC keyset ({@code CheckpointSigner}). */
  MAC("mac"),
  /** The audit signing keyset, Ed25519 ({@code CheckpointSigner}). */
  SIGNING("signing"),
  /** The subject pseudonym keyset ({@link SubjectPseudonyms}). */
  PSEUDONYM("pseudonym"),
  /** The key of the PII {@code hash} action ({@code PiiPolicy}). */
  PII_HASH("pii-hash");

  private final String label;

  KeysetPurpose(String label) {
    this.label = label;
  }

  /** The name used on the command line ({@code master}, {@code mac}, ...). */
  public String label() {
    return label;
  }

  /** The associated data of this purpose's encrypted keysets. */
  byte[] associatedData() {
    return ("warden.keyset." + label).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The purpose named {@code label}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static KeysetPurpose of(String label) {
    for (KeysetPurpose p : values()) {
      if (p.label.equals(label.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown keyset purpose " + label + " (master, mac, signing, pseudonym or pii-hash)");
  }
}
