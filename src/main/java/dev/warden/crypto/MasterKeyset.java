package dev.warden.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadKey;
import dev.warden.config.Settings;
import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The master AEAD keyset, configured outside the database. It wraps the per-subject data keys
 * ({@link SubjectKeys}) and can encrypt fields directly.
 *
 * <p>Every key uses Tink's output prefix ({@code 0x01} and the 4-byte key id), so each ciphertext
 * names its key: {@link #keyIdOf}. Rotation: add a new primary key to the keyset ({@link
 * KeysetTool} {@code rotate}); new ciphertexts use it, old ones still decrypt with the older keys,
 * and {@link #reencrypt} moves a ciphertext to the primary. {@link #isCurrent} finds the ones still
 * to move. Immutable and thread-safe; {@link #toString()} shows key ids only.
 *
 * <p>Configuration ({@link #fromSettings}): {@value #ENCRYPTED_KEYSET_FILE} names a Tink JSON
 * keyset encrypted under the key-encryption key ({@link KeyEncryptionKey}: an AES key in an HSM, or
 * a KEK keyset), the form production requires (wins). {@value #KEYSET_FILE} names a cleartext
 * keyset file, {@value #KEYSET} holds one inline: development mode only. {@link #fromEncryptedJson}
 * takes any other Tink {@link Aead} as the KEK (a cloud KMS through a Tink extension) for
 * applications that build the keyset themselves.
 */
public final class MasterKeyset implements FieldCipher {
  /**
   * Path of a Tink JSON keyset encrypted under the key-encryption key ({@link KeyEncryptionKey}).
   */
  public static final String ENCRYPTED_KEYSET_FILE = "warden.audit.encrypted-keyset-file";

  /** Path of a cleartext Tink JSON keyset file (development mode only). */
  public static final String KEYSET_FILE = "warden.audit.keyset-file";

  /** Inline cleartext Tink JSON keyset (tests, development mode only). */
  public static final String KEYSET = "warden.audit.keyset";

  private static final byte TINK_PREFIX = 0x01;
  private static final int PREFIX_LENGTH = 5;

  private final Aead aead;
  private final int primaryKeyId;
  private final Set<Integer> keyIds;

  private MasterKeyset(KeysetHandle handle) {
    Keysets.register();
    Objects.requireNonNull(handle, "handle");
    Set<Integer> ids = new LinkedHashSet<>();
    for (int i = 0; i < handle.size(); i++) {
      KeysetHandle.Entry entry = handle.getAt(i);
      if (!(entry.getKey() instanceof AeadKey)) {
        throw new IllegalArgumentException("the master keyset must hold AEAD keys only");
      }
      AeadKey key = (AeadKey) entry.getKey();
      byte[] prefix = key.getOutputPrefix().toByteArray();
      if (prefix.length != PREFIX_LENGTH || prefix[0] != TINK_PREFIX) {
        throw new IllegalArgumentException(
            "key "
                + entry.getId()
                + " must use the TINK output prefix, so ciphertexts name their key");
      }
      ids.add(entry.getId());
    }
    this.keyIds = Collections.unmodifiableSet(ids);
    this.primaryKeyId = handle.getPrimary().getId();
    this.aead = Keysets.aead(handle);
  }

  /**
   * Wraps a Tink AEAD keyset.
   *
   * @throws IllegalArgumentException if it holds non-AEAD keys or keys without the TINK prefix
   */
  public static MasterKeyset of(KeysetHandle handle) {
    return new MasterKeyset(handle);
  }

  /**
   * The master keyset from {@value #ENCRYPTED_KEYSET_FILE}, {@value #KEYSET_FILE} or {@value
   * #KEYSET}.
   *
   * @throws IllegalStateException if neither is set
   * @throws IllegalArgumentException if the configured keyset is unreadable or not a valid AEAD
   *     keyset; the message names the key, never the keyset's content
   */
  public static MasterKeyset fromSettings(Settings settings) {
    KeysetHandle handle =
        Keysets.fromSettings(
                settings, ENCRYPTED_KEYSET_FILE, KEYSET_FILE, KEYSET, KeysetPurpose.MASTER)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no audit master keyset: set "
                            + ENCRYPTED_KEYSET_FILE
                            + " (or "
                            + KEYSET_FILE
                            + " in development mode)"));
    return of(handle);
  }

  /**
   * The production path: a keyset encrypted by a key-encryption key held in a KMS ({@code
   * TinkJsonProtoKeysetFormat.serializeEncryptedKeyset} wrote it with the same associated data).
   *
   * @throws IllegalArgumentException if the keyset cannot be decrypted or parsed
   */
  public static MasterKeyset fromEncryptedJson(
      String json, Aead keyEncryptionKey, byte[] associatedData) {
    try {
      return of(
          TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, keyEncryptionKey, associatedData));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the encrypted master keyset could not be decrypted ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    try {
      return aead.encrypt(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("encryption with the master keyset failed", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
    try {
      return aead.decrypt(ciphertext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException(
          "decryption failed: unknown key, other associated data, or modified ciphertext", e);
    }
  }

  /** The id of the key new ciphertexts are made with. */
  public int primaryKeyId() {
    return primaryKeyId;
  }

  /** The ids of all keys in the keyset, in keyset order. */
  public Set<Integer> keyIds() {
    return keyIds;
  }

  /** The key id a Tink-prefixed ciphertext names, or empty if it has no Tink prefix. */
  public static OptionalInt keyIdOf(byte[] ciphertext) {
    if (ciphertext == null || ciphertext.length < PREFIX_LENGTH || ciphertext[0] != TINK_PREFIX) {
      return OptionalInt.empty();
    }
    int id =
        ((ciphertext[1] & 0xff) << 24)
            | ((ciphertext[2] & 0xff) << 16)
            | ((ciphertext[3] & 0xff) << 8)
            | (ciphertext[4] & 0xff);
    return OptionalInt.of(id);
  }

  /**
   * Whether {@code ciphertext} names the current primary key (it does not decrypt it). False means
   * a re-encryption job should {@link #reencrypt} it.
   */
  public boolean isCurrent(byte[] ciphertext) {
    OptionalInt id = keyIdOf(ciphertext);
    return id.isPresent() && id.getAsInt() == primaryKeyId;
  }

  /**
   * Decrypts with whichever key made {@code ciphertext} and encrypts again with the primary key.
   * Use it for ciphertexts outside the hash chain (wrapped subject keys); a record's field
   * ciphertexts are covered by the chain hash and must not change.
   *
   * @throws AuditCryptoException if {@code ciphertext} does not decrypt with {@code associatedData}
   */
  public byte[] reencrypt(byte[] ciphertext, byte[] associatedData) {
    byte[] plaintext = decrypt(ciphertext, associatedData);
    try {
      return encrypt(plaintext, associatedData);
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "MasterKeyset[primary=" + primaryKeyId + ", keys=" + keyIds + "]";
  }
}
