package dev.warden.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import dev.warden.config.Settings;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The pseudonym stored for a data subject: hex HMAC-SHA256, under a key held outside the database,
 * of a domain tag, the tenant and the subject id. Without the key, a guessable id (an e-mail
 * address) cannot be confirmed from the table. Deterministic, so the same subject always gets the
 * same pseudonym (erasure and holds find it from the id). Immutable and thread-safe.
 *
 * <p>Configuration ({@link #fromSettings}): {@value #ENCRYPTED_KEYSET_FILE} names a Tink JSON
 * keyset of one raw HMAC-SHA256 key encrypted under the key-encryption key (production; wins),
 * {@value #KEYSET_FILE} a cleartext one and {@value #KEYSET} one inline (development mode only);
 * {@code KeysetTool new-pseudonym} makes one. The key must not be rotated: a new key gives every
 * subject a new pseudonym, and their older records would no longer be found by id. Keep it apart
 * from the database and its backups.
 */
public final class SubjectPseudonyms {
  /** Path of the Tink JSON keyset of the pseudonym key, encrypted under the key-encryption key. */
  public static final String ENCRYPTED_KEYSET_FILE = "warden.audit.encrypted-pseudonym-keyset-file";

  /** Path of the cleartext Tink JSON keyset of the pseudonym key (development mode only). */
  public static final String KEYSET_FILE = "warden.audit.pseudonym-keyset-file";

  /** Inline cleartext Tink JSON keyset of the pseudonym key (tests, development mode only). */
  public static final String KEYSET = "warden.audit.pseudonym-keyset";

  private static final String TAG = "warden.audit.data-subject.v2";
  private static final String LEGACY_TAG = "warden.audit.data-subject.v1";
  private static final String DERIVED_TAG = "warden.derived-key.v1";

  private final Mac mac;

  private SubjectPseudonyms(Mac mac) {
    this.mac = mac;
  }

  /**
   * Pseudonyms under the primary key of {@code keyset}.
   *
   * @throws IllegalArgumentException if it is not a MAC keyset with 32-byte untagged output
   */
  public static SubjectPseudonyms of(KeysetHandle keyset) {
    Keysets.register();
    try {
      Mac mac = keyset.getPrimitive(RegistryConfiguration.get(), Mac.class);
      if (mac.computeMac(new byte[0]).length != 32) {
        throw new IllegalArgumentException(
            "the pseudonym keyset must hold a raw HMAC-SHA256 key (KeysetTool new-pseudonym)");
      }
      return new SubjectPseudonyms(mac);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the pseudonym keyset is not a MAC keyset", e);
    }
  }

  /**
   * The pseudonyms of {@value #ENCRYPTED_KEYSET_FILE}, {@value #KEYSET_FILE} or {@value #KEYSET}.
   *
   * @throws IllegalStateException if neither is set
   * @throws IllegalArgumentException if the configured keyset is unusable
   */
  public static SubjectPseudonyms fromSettings(Settings settings) {
    return of(
        Keysets.fromSettings(
                settings, ENCRYPTED_KEYSET_FILE, KEYSET_FILE, KEYSET, KeysetPurpose.PSEUDONYM)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no audit pseudonym keyset: set "
                            + ENCRYPTED_KEYSET_FILE
                            + " (or "
                            + KEYSET_FILE
                            + " in development mode)")));
  }

  /**
   * The pseudonym of {@code subject} of {@code tenant}: 64 hex digits.
   *
   * @throws NullPointerException if an argument is null
   * @throws AuditCryptoException if the MAC cannot be computed
   */
  public String pseudonym(String tenant, String subject) {
    try {
      return HexFormat.of()
          .formatHex(
              mac.computeMac(
                  AssociatedData.encode(
                      TAG,
                      Objects.requireNonNull(tenant, "tenant"),
                      Objects.requireNonNull(subject, "subject"))));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not compute a subject pseudonym", e);
    }
  }

  /**
   * A 32-byte key for {@code purpose}, derived from the pseudonym key (HMAC-SHA256 of a domain tag
   * and {@code purpose}): as stable as the pseudonym key, across restarts and servers, and
   * independent of it and of every other purpose. The PII {@code hash} action uses one when it has
   * no key of its own.
   */
  public byte[] derivedKey(String purpose) {
    try {
      return mac.computeMac(
          AssociatedData.encode(DERIVED_TAG, Objects.requireNonNull(purpose, "purpose")));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not derive a key", e);
    }
  }

  /**
   * The unkeyed pseudonym records written before keyed pseudonyms carry (hex SHA-256 of the v1 tag,
   * the tenant and the id): still used to find and erase those subjects' keys.
   */
  public static String legacyPseudonym(String tenant, String subject) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(AssociatedData.encode(LEGACY_TAG, tenant, subject)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
