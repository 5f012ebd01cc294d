package dev.warden.audit.chain;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import dev.warden.config.Settings;
import dev.warden.crypto.AuditCryptoException;
import dev.warden.crypto.KeysetPurpose;
import dev.warden.crypto.Keysets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Seals the audit chain's proofs (checkpoints, purged ranges, export manifests and exported
 * content) and MACs its head. Immutable and thread-safe.
 *
 * <p>Two keysets, neither in the database:
 *
 * <ul>
 *   <li>the <b>signing keyset</b> (Tink Ed25519, {@link SealKind#ED25519}) signs every proof when
 *       it is configured. Its public keyset ({@link #publicKeysetJson}) can be handed to anyone: it
 *       checks the proofs, and cannot make them;
 *   <li>the <b>MAC keyset</b> (Tink HMAC-SHA256, {@link SealKind#MAC}) MACs the chain head at every
 *       append (a check only the server makes), checks the proofs sealed before a signing key was
 *       configured, and seals the proofs when no signing keyset is configured.
 * </ul>
 *
 * <p>Rotation works as for the master keyset: a new primary key seals, all keys in a keyset verify.
 * A signer made from a public keyset alone ({@link #verifying}) checks signed proofs and nothing
 * else: that is the offline verifier's.
 *
 * <p>Configuration ({@link #fromSettings}): {@value #ENCRYPTED_SIGNING_KEYSET_FILE} and {@value
 * #ENCRYPTED_MAC_KEYSET_FILE} name Tink JSON keysets encrypted under the key-encryption key
 * (production); {@value #SIGNING_KEYSET_FILE} / {@value #MAC_KEYSET_FILE} cleartext keyset files
 * and {@value #SIGNING_KEYSET} / {@value #MAC_KEYSET} inline ones (development mode only). Generate
 * them with {@code KeysetTool new-signing} and {@code new-mac}.
 */
public final class CheckpointSigner {
  /** Path of a Tink JSON MAC keyset encrypted under the key-encryption key. */
  public static final String ENCRYPTED_MAC_KEYSET_FILE = "warden.audit.encrypted-mac-keyset-file";

  /** Path of a cleartext Tink JSON MAC keyset (development mode only). */
  public static final String MAC_KEYSET_FILE = "warden.audit.mac-keyset-file";

  /** Inline cleartext Tink JSON MAC keyset (tests, development mode only). */
  public static final String MAC_KEYSET = "warden.audit.mac-keyset";

  /** Path of a Tink JSON Ed25519 signing keyset encrypted under the key-encryption key. */
  public static final String ENCRYPTED_SIGNING_KEYSET_FILE =
      "warden.audit.encrypted-signing-keyset-file";

  /** Path of a cleartext Tink JSON Ed25519 signing keyset (development mode only). */
  public static final String SIGNING_KEYSET_FILE = "warden.audit.signing-keyset-file";

  /** Inline cleartext Tink JSON Ed25519 signing keyset (tests, development mode only). */
  public static final String SIGNING_KEYSET = "warden.audit.signing-keyset";

  private final Mac mac;
  private final PublicKeySign sign;
  private final PublicKeyVerify verify;
  private final KeysetHandle publicKeyset;

  private CheckpointSigner(
      Mac mac, PublicKeySign sign, PublicKeyVerify verify, KeysetHandle publicKeyset) {
    this.mac = mac;
    this.sign = sign;
    this.verify = verify;
    this.publicKeyset = publicKeyset;
  }

  /**
   * Seals with a Tink MAC keyset ({@link SealKind#MAC}): for chains without a signing key.
   *
   * @throws IllegalArgumentException if it is not a MAC keyset
   */
  public static CheckpointSigner of(KeysetHandle macKeyset) {
    return new CheckpointSigner(mac(macKeyset), null, null, null);
  }

  /**
   * Signs with a Tink Ed25519 keyset ({@link SealKind#ED25519}) and MACs the head with a MAC
   * keyset, which also checks the proofs MACed before.
   *
   * @throws IllegalArgumentException if either keyset is not of its kind
   */
  public static CheckpointSigner of(KeysetHandle macKeyset, KeysetHandle signingKeyset) {
    Keysets.register();
    KeysetHandle publicKeyset;
    PublicKeySign sign;
    try {
      sign = signingKeyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
      publicKeyset = signingKeyset.getPublicKeysetHandle();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the audit signing keyset is not a signing keyset", e);
    }
    return new CheckpointSigner(mac(macKeyset), sign, verifier(publicKeyset), publicKeyset);
  }

  /**
   * Checks signed proofs with a public keyset (or the public half of a signing keyset), and makes
   * and checks nothing else: the offline verifier's signer.
   *
   * @throws IllegalArgumentException if it is not a signature keyset
   */
  public static CheckpointSigner verifying(KeysetHandle publicKeyset) {
    KeysetHandle pub = Keysets.publicHalf(publicKeyset);
    return new CheckpointSigner(null, null, verifier(pub), pub);
  }

  /**
   * A signer that checks what {@code keysets} can check: a public (or signing) keyset checks signed
   * proofs, a MAC keyset MACed ones (and the proofs of a chain that has both kinds need both).
   *
   * @throws IllegalArgumentException if a keyset is neither, or two are of the same kind
   */
  public static CheckpointSigner forChecking(KeysetHandle... keysets) {
    Mac mac = null;
    KeysetHandle pub = null;
    for (KeysetHandle k : keysets) {
      KeysetHandle asPublic = publicOrNull(k);
      if (asPublic != null && pub == null) {
        pub = asPublic;
        continue;
      }
      if (asPublic == null && mac == null) {
        try {
          mac = mac(k);
          continue;
        } catch (IllegalArgumentException notMac) {
          // below
        }
      }
      throw new IllegalArgumentException(
          "a key is neither an audit public key (Ed25519) nor a checkpoint MAC keyset, or two"
              + " keys are of one kind");
    }
    return new CheckpointSigner(mac, null, pub == null ? null : verifier(pub), pub);
  }

  /** The public keyset of a signature keyset (public or private); null for any other keyset. */
  private static KeysetHandle publicOrNull(KeysetHandle k) {
    KeysetHandle pub = Keysets.publicHalf(k);
    try {
      verifier(pub);
      return pub;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Mac mac(KeysetHandle macKeyset) {
    Keysets.register();
    try {
      return macKeyset.getPrimitive(RegistryConfiguration.get(), Mac.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the checkpoint keyset is not a MAC keyset", e);
    }
  }

  private static PublicKeyVerify verifier(KeysetHandle publicKeyset) {
    Keysets.register();
    try {
      return publicKeyset.getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("the keyset is not an audit public key (Ed25519)", e);
    }
  }

  /**
   * The signer of the configured MAC keyset ({@value #ENCRYPTED_MAC_KEYSET_FILE}, {@value
   * #MAC_KEYSET_FILE} or {@value #MAC_KEYSET}) and, if one is configured, signing keyset ({@value
   * #ENCRYPTED_SIGNING_KEYSET_FILE}, {@value #SIGNING_KEYSET_FILE} or {@value #SIGNING_KEYSET}).
   *
   * @throws IllegalStateException if no MAC keyset is set
   * @throws IllegalArgumentException if a configured keyset is unreadable or not of its kind
   */
  public static CheckpointSigner fromSettings(Settings settings) {
    KeysetHandle macKeyset =
        Keysets.fromSettings(
                settings, ENCRYPTED_MAC_KEYSET_FILE, MAC_KEYSET_FILE, MAC_KEYSET, KeysetPurpose.MAC)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no audit checkpoint MAC keyset: set "
                            + ENCRYPTED_MAC_KEYSET_FILE
                            + " (or "
                            + MAC_KEYSET_FILE
                            + " in development mode)"));
    Optional<KeysetHandle> signing =
        Keysets.fromSettings(
            settings,
            ENCRYPTED_SIGNING_KEYSET_FILE,
            SIGNING_KEYSET_FILE,
            SIGNING_KEYSET,
            KeysetPurpose.SIGNING);
    if (signing.isEmpty()) {
      return of(macKeyset);
    }
    try {
      return of(macKeyset, signing.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          (settings.string(ENCRYPTED_SIGNING_KEYSET_FILE).isPresent()
                  ? ENCRYPTED_SIGNING_KEYSET_FILE
                  : settings.string(SIGNING_KEYSET_FILE).isPresent()
                      ? SIGNING_KEYSET_FILE
                      : SIGNING_KEYSET)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * How new proofs are sealed: {@link SealKind#ED25519} with a signing keyset, else {@link
   * SealKind#MAC}.
   *
   * @throws IllegalStateException if this signer only checks
   */
  public SealKind sealKind() {
    if (sign != null) {
      return SealKind.ED25519;
    }
    if (mac != null) {
      return SealKind.MAC;
    }
    throw new IllegalStateException("this signer only checks signatures");
  }

  /** The public keyset that checks the signed proofs, as Tink JSON; empty without a signing key. */
  public Optional<String> publicKeysetJson() {
    return Optional.ofNullable(publicKeyset).map(Keysets::toPublicJson);
  }

  private Seal seal(byte[] input, String what) {
    SealKind kind = sealKind();
    try {
      return new Seal(kind, kind == SealKind.ED25519 ? sign.sign(input) : mac.computeMac(input));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not seal the " + what, e);
    }
  }

  private boolean check(SealKind kind, byte[] seal, byte[] input) {
    if (!canCheck(kind)) {
      return false;
    }
    try {
      if (kind == SealKind.ED25519) {
        verify.verify(seal, input);
      } else {
        mac.verifyMac(seal, input);
      }
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether a seal of {@code kind} can be checked by this signer at all: a public key cannot check
   * a MAC, so the offline verifier's signer cannot check the chain head's MAC either. A proof it
   * cannot check does not verify.
   */
  public boolean canCheck(SealKind kind) {
    return kind == SealKind.ED25519 ? verify != null : mac != null;
  }

  /**
   * A checkpoint of the record {@code sequence} with {@code hash}, created at {@code createdAt}
   * truncated to microseconds.
   *
   * @throws AuditCryptoException if the seal cannot be computed
   */
  public Checkpoint sign(long sequence, byte[] hash, Instant createdAt) {
    return sign(ChainHasher.FIRST_CHAIN, 1, sequence, hash, createdAt);
  }

  /**
   * A checkpoint of the record {@code sequence} of chain {@code chain}, the log having {@code
   * chains} chains, created at {@code createdAt} truncated to microseconds.
   *
   * @throws AuditCryptoException if the seal cannot be computed
   * @throws IllegalArgumentException if the chain numbers do not fit
   */
  public Checkpoint sign(int chain, int chains, long sequence, byte[] hash, Instant createdAt) {
    if (chains < 1) {
      throw new IllegalArgumentException("a log has at least one chain");
    }
    Instant at = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
    SealKind kind = sealKind();
    Seal s = seal(Checkpoint.sealInput(kind, chain, chains, sequence, hash, at), "checkpoint");
    return new Checkpoint(chain, chains, sequence, hash, at, kind, s.valueRef());
  }

  /** A checkpoint of {@code head}, the head of the first chain of a log with one chain. */
  public Checkpoint sign(ChainHead head, Instant createdAt) {
    return sign(head.sequence(), head.hash(), createdAt);
  }

  /** A checkpoint of {@code head}, the head of chain {@code chain} of {@code chains}. */
  public Checkpoint sign(int chain, int chains, ChainHead head, Instant createdAt) {
    return sign(chain, chains, head.sequence(), head.hash(), createdAt);
  }

  /** Whether the checkpoint's seal is valid under some key of the keyset. Never throws. */
  public boolean verify(Checkpoint checkpoint) {
    SealKind kind = checkpoint.sealKind();
    return check(
        kind,
        checkpoint.sealRef(),
        Checkpoint.sealInput(
            kind,
            checkpoint.chain(),
            checkpoint.chains(),
            checkpoint.sequence(),
            checkpoint.hashRef(),
            checkpoint.createdAt()));
  }

  /**
   * The sealed record of a purge of records {@code from} to {@code to}, created at {@code
   * createdAt} truncated to microseconds.
   *
   * @throws AuditCryptoException if the seal cannot be computed
   * @throws IllegalArgumentException if it is not a range
   */
  public PurgedRange signPurge(
      long from, long to, byte[] hashBefore, byte[] hashAfter, Instant createdAt) {
    return signPurge(ChainHasher.FIRST_CHAIN, from, to, hashBefore, hashAfter, createdAt);
  }

  /** {@link #signPurge(long, long, byte[], byte[], Instant)} of a range of chain {@code chain}. */
  public PurgedRange signPurge(
      int chain, long from, long to, byte[] hashBefore, byte[] hashAfter, Instant createdAt) {
    Instant at = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
    SealKind kind = sealKind();
    Seal s =
        seal(
            PurgedRange.sealInput(kind, chain, from, to, hashBefore, hashAfter, at),
            "purged range");
    return new PurgedRange(chain, from, to, hashBefore, hashAfter, at, kind, s.valueRef());
  }

  /** Whether the purged range's seal is valid under some key of the keyset. Never throws. */
  public boolean verify(PurgedRange range) {
    SealKind kind = range.sealKind();
    return check(
        kind,
        range.sealRef(),
        PurgedRange.sealInput(
            kind,
            range.chain(),
            range.from(),
            range.to(),
            range.hashBeforeRef(),
            range.hashAfterRef(),
            range.createdAt()));
  }

  /**
   * The MAC of the chain head, stored with it at every append: without the key, the head cannot be
   * moved back over deleted records (only replaced by a head with its MAC seen earlier). Always a
   * MAC: only the server checks it, and a signature at every append would cost more.
   *
   * @throws AuditCryptoException if the MAC cannot be computed
   * @throws IllegalStateException if this signer has no MAC keyset
   */
  public byte[] signHead(ChainHead head) {
    return signHead(ChainHasher.FIRST_CHAIN, head);
  }

  /**
   * The MAC of the head of chain {@code chain} ({@link #signHead(ChainHead)}); the chain is under
   * the MAC for every chain but the first, so one chain's head cannot stand in for another's.
   */
  public byte[] signHead(int chain, ChainHead head) {
    if (mac == null) {
      throw new IllegalStateException("this signer has no MAC keyset");
    }
    try {
      return mac.computeMac(headMacInput(chain, head));
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not compute the chain head MAC", e);
    }
  }

  /** Whether {@code headMac} is a valid MAC of {@code head}. Never throws. */
  public boolean verifyHead(ChainHead head, byte[] headMac) {
    return verifyHead(ChainHasher.FIRST_CHAIN, head, headMac);
  }

  /**
   * Whether {@code headMac} is a valid MAC of {@code head} of chain {@code chain}. Never throws.
   */
  public boolean verifyHead(int chain, ChainHead head, byte[] headMac) {
    return check(SealKind.MAC, headMac, headMacInput(chain, head));
  }

  private static byte[] headMacInput(int chain, ChainHead head) {
    CanonicalRecord.Builder b =
        CanonicalRecord.builder().string("type", "warden.audit.head").number("version", 1);
    if (chain != ChainHasher.FIRST_CHAIN) {
      b.number("chain", chain);
    }
    return b.number("sequence", head.sequence()).bytes("hash", head.hash()).build().encoded();
  }

  /**
   * The seal of an export's bounds in the formats before the log was partitioned (v1 to v4): its
   * first sequence number and the hash before it, its last sequence number and hash, the record
   * count and the export time, so an offline verifier knows the export was neither cut at either
   * end nor extended. A signed export's last hash is the chain's signed head at the export's end.
   *
   * @throws AuditCryptoException if the seal cannot be computed
   */
  public Seal signExport(
      long first, byte[] hashBefore, long last, byte[] lastHash, long count, Instant exportedAt) {
    return seal(
        exportInput(sealKind(), 0, 0, first, hashBefore, last, lastHash, count, exportedAt),
        "export manifest");
  }

  /**
   * The seal of the bounds of chain {@code chain} in an export (format v5) holding the records of
   * {@code chainCount} chains: as {@link #signExport(long, byte[], long, byte[], long, Instant)},
   * with the chain and the number of chains in the export under the seal, so bounds cannot be
   * passed off as another chain's, and a chain's entry cannot be dropped from the manifest unseen.
   *
   * @throws AuditCryptoException if the seal cannot be computed
   * @throws IllegalArgumentException if the chain numbers do not fit
   */
  public Seal signExport(
      int chain,
      int chainCount,
      long first,
      byte[] hashBefore,
      long last,
      byte[] lastHash,
      long count,
      Instant exportedAt) {
    checkExportChain(chain, chainCount);
    return seal(
        exportInput(
            sealKind(), chain, chainCount, first, hashBefore, last, lastHash, count, exportedAt),
        "export manifest");
  }

  /**
   * Whether {@code seal} is a valid seal of the export bounds of a v1 to v4 export. Never throws.
   */
  public boolean verifyExport(
      long first,
      byte[] hashBefore,
      long last,
      byte[] lastHash,
      long count,
      Instant exportedAt,
      Seal seal) {
    return check(
        seal.kind(),
        seal.valueRef(),
        exportInput(seal.kind(), 0, 0, first, hashBefore, last, lastHash, count, exportedAt));
  }

  /**
   * Whether {@code seal} is a valid seal of the bounds of chain {@code chain} in an export of
   * {@code chainCount} chains ({@link #signExport(int, int, long, byte[], long, byte[], long,
   * Instant)}). Never throws.
   */
  public boolean verifyExport(
      int chain,
      int chainCount,
      long first,
      byte[] hashBefore,
      long last,
      byte[] lastHash,
      long count,
      Instant exportedAt,
      Seal seal) {
    if (chain < ChainHasher.FIRST_CHAIN || chainCount < 1) {
      return false;
    }
    return check(
        seal.kind(),
        seal.valueRef(),
        exportInput(
            seal.kind(), chain, chainCount, first, hashBefore, last, lastHash, count, exportedAt));
  }

  private static void checkExportChain(int chain, int chainCount) {
    ChainHasher.checkChain(chain);
    if (chainCount < 1) {
      throw new IllegalArgumentException("an export of records holds at least one chain");
    }
  }

  /** The bytes an export seal covers; {@code chainCount} 0: the layout of v1 to v4 (no chain). */
  private static byte[] exportInput(
      SealKind kind,
      int chain,
      int chainCount,
      long first,
      byte[] hashBefore,
      long last,
      byte[] lastHash,
      long count,
      Instant exportedAt) {
    CanonicalRecord.Builder b =
        CanonicalRecord.builder()
            .string("type", "warden.audit.export")
            .number("version", kind.version());
    if (chainCount > 0) {
      b.number("chain", chain).number("chain_count", chainCount);
    }
    return b.number("first", first)
        .bytes("hash_before", hashBefore)
        .number("last", last)
        .bytes("last_hash", lastHash)
        .number("count", count)
        .instant("exported_at", exportedAt.truncatedTo(ChronoUnit.MICROS))
        .build()
        .encoded();
  }

  /**
   * The seal of a record's decrypted content in a decrypted export, bound to the record's id,
   * sequence number and chain hash, so an offline verifier (who cannot decrypt) knows the plaintext
   * beside a record is what Warden decrypted from that record. {@code fields} alternate name and
   * value (state or text; null allowed). For a record of the first chain.
   *
   * @throws AuditCryptoException if the seal cannot be computed
   */
  public Seal signContent(String recordId, long sequence, byte[] hash, String... fields) {
    return signContent(ChainHasher.FIRST_CHAIN, recordId, sequence, hash, fields);
  }

  /**
   * {@link #signContent(String, long, byte[], String...)} of a record of chain {@code chain}; the
   * chain is under the seal for every chain but the first (whose seals were made before the log was
   * partitioned), so content cannot be moved to the record of the same number in another chain.
   *
   * @throws AuditCryptoException if the seal cannot be computed
   * @throws IllegalArgumentException if {@code chain} is not a chain number
   */
  public Seal signContent(
      int chain, String recordId, long sequence, byte[] hash, String... fields) {
    ChainHasher.checkChain(chain);
    return seal(
        contentInput(sealKind(), chain, recordId, sequence, hash, fields), "exported content");
  }

  /** Whether {@code seal} is a valid seal of the decrypted content. Never throws. */
  public boolean verifyContent(
      Seal seal, String recordId, long sequence, byte[] hash, String... fields) {
    return verifyContent(seal, ChainHasher.FIRST_CHAIN, recordId, sequence, hash, fields);
  }

  /**
   * Whether {@code seal} is a valid seal of the decrypted content of a record of chain {@code
   * chain}. Never throws.
   */
  public boolean verifyContent(
      Seal seal, int chain, String recordId, long sequence, byte[] hash, String... fields) {
    if (chain < ChainHasher.FIRST_CHAIN) {
      return false;
    }
    return check(
        seal.kind(),
        seal.valueRef(),
        contentInput(seal.kind(), chain, recordId, sequence, hash, fields));
  }

  private static byte[] contentInput(
      SealKind kind, int chain, String recordId, long sequence, byte[] hash, String... fields) {
    CanonicalRecord.Builder b =
        CanonicalRecord.builder()
            .string("type", "warden.audit.export.content")
            .number("version", kind.version());
    if (chain != ChainHasher.FIRST_CHAIN) {
      b.number("chain", chain);
    }
    b.string("record_id", recordId).number("sequence", sequence).bytes("hash", hash);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      b.string(fields[i], fields[i + 1]);
    }
    return b.build().encoded();
  }
}
