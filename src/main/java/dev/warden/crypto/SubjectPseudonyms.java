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
 * <p>Configuration ({@link #fromSettings}): {@value #KEYSET_FILE} names a Tink JSON keyset of one
 * raw HMAC-SHA256 key (wins), {@value #KEYSET} holds it inline; {@code KeysetTool new-pseudonym}
 * makes one. The key must not be rotated: a new key gives every subject a new pseudonym, and their
 * older records would no longer be found by id. Keep it apart from the database and its backups.
 */
public final class SubjectPseudonyms {
  /** Path of the cleartext Tink JSON keyset of the pseudonym key. */
  public static final String KEYSET_FILE = "warden.audit.pseudonym-keyset-file";

  /** Inline cleartext Tink JSON keyset of the pseudonym key (tests, development). */
  public static final String KEYSET = "warden.audit.pseudonym-keyset";

  private static final String TAG = "warden.audit.data-subject.v2";
  private static final String LEGACY_TAG = "warden.audit.data-subject.v1";

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
   * The pseudonyms of {@value #KEYSET_FILE} or {@value #KEYSET}.
   *
   * @throws IllegalStateException if neither is set
   * @throws IllegalArgumentException if the configured keyset is unusable
   */
  public static SubjectPseudonyms fromSettings(Settings settings) {
    return of(
        Keysets.fromSettings(settings, KEYSET_FILE, KEYSET)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no audit pseudonym keyset: set "
                            + KEYSET_FILE
                            + " (or "
                            + KEYSET
                            + " for development)")));
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
