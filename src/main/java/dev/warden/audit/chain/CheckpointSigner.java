package dev.warden.audit.chain;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import dev.warden.config.Settings;
import dev.warden.crypto.AuditCryptoException;
import dev.warden.crypto.Keysets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Makes and checks checkpoint MACs with a Tink MAC keyset (HMAC-SHA256) that the database does not
 * hold. Rotation works as for the master keyset: a new primary key signs, all keys in the keyset
 * verify. Immutable and thread-safe.
 *
 * <p>Configuration ({@link #fromSettings}): {@value #ENCRYPTED_MAC_KEYSET_FILE} names a Tink JSON
 * keyset encrypted under the key-encryption key (production; wins), {@value #MAC_KEYSET_FILE} a
 * cleartext keyset file and {@value #MAC_KEYSET} one inline (development mode only). Generate one
 * with {@code KeysetTool new-mac <file> --kek-...}. Keep it apart from the database and its
 * backups: whoever holds it can rewrite the chain and re-sign checkpoints.
 */
public final class CheckpointSigner {
  /** Path of a Tink JSON MAC keyset encrypted under the key-encryption key. */
  public static final String ENCRYPTED_MAC_KEYSET_FILE = "warden.audit.encrypted-mac-keyset-file";

  /** Path of a cleartext Tink JSON MAC keyset (development mode only). */
  public static final String MAC_KEYSET_FILE = "warden.audit.mac-keyset-file";

  /** Inline cleartext Tink JSON MAC keyset (tests, development mode only). */
  public static final String MAC_KEYSET = "warden.audit.mac-keyset";

  private final Mac mac;

  private CheckpointSigner(Mac mac) {
    this.mac = mac;
  }

  /**
   * Signs with a Tink MAC keyset.
   *
   * @throws IllegalArgumentException if it is not a MAC keyset
   */
  public static CheckpointSigner of(KeysetHandle macKeyset) {
    Keysets.register();
    try {
      return new CheckpointSigner(macKeyset.getPrimitive(RegistryConfiguration.get(), Mac.class));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the checkpoint keyset is not a MAC keyset", e);
    }
  }

  /**
   * The signer of {@value #ENCRYPTED_MAC_KEYSET_FILE}, {@value #MAC_KEYSET_FILE} or {@value
   * #MAC_KEYSET}.
   *
   * @throws IllegalStateException if neither is set
   * @throws IllegalArgumentException if the configured keyset is unreadable or not a MAC keyset
   */
  public static CheckpointSigner fromSettings(Settings settings) {
    return of(
        Keysets.fromSettings(
                settings,
                ENCRYPTED_MAC_KEYSET_FILE,
                MAC_KEYSET_FILE,
                MAC_KEYSET,
                dev.warden.crypto.KeysetPurpose.MAC)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no audit checkpoint MAC keyset: set "
                            + ENCRYPTED_MAC_KEYSET_FILE
                            + " (or "
                            + MAC_KEYSET_FILE
                            + " in development mode)")));
  }

  /**
   * A checkpoint of the record {@code sequence} with {@code hash}, created at {@code createdAt}
   * truncated to microseconds.
   *
   * @throws AuditCryptoException if the MAC cannot be computed
   */
  public Checkpoint sign(long sequence, byte[] hash, Instant createdAt) {
    Instant at = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
    try {
      return new Checkpoint(
          sequence, hash, at, mac.computeMac(Checkpoint.macInput(sequence, hash, at)));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not compute the checkpoint MAC", e);
    }
  }

  /** A checkpoint of {@code head}. */
  public Checkpoint sign(ChainHead head, Instant createdAt) {
    return sign(head.sequence(), head.hash(), createdAt);
  }

  /**
   * The MACed record of a purge of records {@code from} to {@code to}, created at {@code createdAt}
   * truncated to microseconds.
   *
   * @throws AuditCryptoException if the MAC cannot be computed
   * @throws IllegalArgumentException if it is not a range
   */
  public PurgedRange signPurge(
      long from, long to, byte[] hashBefore, byte[] hashAfter, Instant createdAt) {
    Instant at = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
    try {
      return new PurgedRange(
          from,
          to,
          hashBefore,
          hashAfter,
          at,
          mac.computeMac(PurgedRange.macInput(from, to, hashBefore, hashAfter, at)));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not compute the purge MAC", e);
    }
  }

  /** Whether the purged range's MAC is valid under some key of the keyset. Never throws. */
  public boolean verify(PurgedRange range) {
    try {
      mac.verifyMac(
          range.mac(),
          PurgedRange.macInput(
              range.from(),
              range.to(),
              range.hashBeforeRef(),
              range.hashAfterRef(),
              range.createdAt()));
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The MAC of the chain head, stored with it at every append: without the key, the head cannot be
   * moved back over deleted records (only replaced by a head with its MAC seen earlier).
   *
   * @throws AuditCryptoException if the MAC cannot be computed
   */
  public byte[] signHead(ChainHead head) {
    try {
      return mac.computeMac(headMacInput(head));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not compute the chain head MAC", e);
    }
  }

  /** Whether {@code headMac} is a valid MAC of {@code head}. Never throws. */
  public boolean verifyHead(ChainHead head, byte[] headMac) {
    try {
      mac.verifyMac(headMac, headMacInput(head));
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] headMacInput(ChainHead head) {
    return CanonicalRecord.builder()
        .string("type", "warden.audit.head")
        .number("version", 1)
        .number("sequence", head.sequence())
        .bytes("hash", head.hash())
        .build()
        .encoded();
  }

  /**
   * The MAC of an export's bounds: its first sequence number and the hash before it, its last
   * sequence number and hash, the record count and the export time, so an offline verifier knows
   * the export was neither cut at either end nor extended.
   *
   * @throws AuditCryptoException if the MAC cannot be computed
   */
  public byte[] signExport(
      long first, byte[] hashBefore, long last, byte[] lastHash, long count, Instant exportedAt) {
    try {
      return mac.computeMac(exportMacInput(first, hashBefore, last, lastHash, count, exportedAt));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not compute the export MAC", e);
    }
  }

  /** Whether {@code exportMac} is a valid MAC of the export bounds. Never throws. */
  public boolean verifyExport(
      long first,
      byte[] hashBefore,
      long last,
      byte[] lastHash,
      long count,
      Instant exportedAt,
      byte[] exportMac) {
    try {
      mac.verifyMac(
          exportMac, exportMacInput(first, hashBefore, last, lastHash, count, exportedAt));
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] exportMacInput(
      long first, byte[] hashBefore, long last, byte[] lastHash, long count, Instant exportedAt) {
    return CanonicalRecord.builder()
        .string("type", "warden.audit.export")
        .number("version", 1)
        .number("first", first)
        .bytes("hash_before", hashBefore)
        .number("last", last)
        .bytes("last_hash", lastHash)
        .number("count", count)
        .instant("exported_at", exportedAt.truncatedTo(ChronoUnit.MICROS))
        .build()
        .encoded();
  }

  /**
   * The MAC of a record's decrypted content in a decrypted export, bound to the record's id,
   * sequence number and chain hash, so an offline verifier (who cannot decrypt) knows the plaintext
   * beside a record is what Warden decrypted from that record. {@code fields} alternate name and
   * value (state or text; null allowed).
   *
   * @throws AuditCryptoException if the MAC cannot be computed
   */
  public byte[] signContent(String recordId, long sequence, byte[] hash, String... fields) {
    try {
      return mac.computeMac(contentMacInput(recordId, sequence, hash, fields));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not compute the export content MAC", e);
    }
  }

  /** Whether {@code contentMac} is a valid MAC of the decrypted content. Never throws. */
  public boolean verifyContent(
      byte[] contentMac, String recordId, long sequence, byte[] hash, String... fields) {
    try {
      mac.verifyMac(contentMac, contentMacInput(recordId, sequence, hash, fields));
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] contentMacInput(
      String recordId, long sequence, byte[] hash, String... fields) {
    CanonicalRecord.Builder b =
        CanonicalRecord.builder()
            .string("type", "warden.audit.export.content")
            .number("version", 1)
            .string("record_id", recordId)
            .number("sequence", sequence)
            .bytes("hash", hash);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      b.string(fields[i], fields[i + 1]);
    }
    return b.build().encoded();
  }

  /** Whether the checkpoint's MAC is valid under some key of the keyset. Never throws. */
  public boolean verify(Checkpoint checkpoint) {
    try {
      mac.verifyMac(
          checkpoint.mac(),
          Checkpoint.macInput(checkpoint.sequence(), checkpoint.hashRef(), checkpoint.createdAt()));
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
