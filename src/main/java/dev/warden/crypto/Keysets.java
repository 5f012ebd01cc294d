package dev.warden.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import dev.warden.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.Set;

/**
 * Tink keyset handling shared by the audit log: registration, loading from configuration,
 * generation, rotation, and owner-only files.
 *
 * <p>Two forms of keyset file, both Tink JSON ({@link TinkJsonProtoKeysetFormat}): <b>encrypted</b>
 * keysets, wrapped by a key-encryption key ({@link KeyEncryptionKey}: an AES key in an HSM, or a
 * KEK keyset) with the keyset's {@link KeysetPurpose} as associated data, the form production
 * requires; and <b>cleartext</b> keysets (read with {@link InsecureSecretKeyAccess}), which only
 * development mode accepts. Error messages name the configuration key or file, never key material:
 * parse failures are rethrown without their cause, whose message could quote input.
 */
public final class Keysets {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  static {
    try {
      AeadConfig.register();
      MacConfig.register();
      SignatureConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Keysets() {}

  /** Registers Tink's AEAD, MAC and signature key managers (idempotent). */
  public static void register() {
    // the static initialiser does the work
  }

  /** A new keyset with one AES256-GCM key (Tink output prefix, so ciphertexts carry the key id). */
  public static KeysetHandle generateAead() {
    return generate(PredefinedAeadParameters.AES256_GCM);
  }

  /** A new keyset with one HMAC-SHA256 key (256-bit tag). */
  public static KeysetHandle generateMac() {
    return generate(PredefinedMacParameters.HMAC_SHA256_256BITTAG);
  }

  /**
   * A new keyset with one Ed25519 signing key (Tink output prefix, so signatures carry the key id).
   */
  public static KeysetHandle generateSigning() {
    return generate(PredefinedSignatureParameters.ED25519);
  }

  /**
   * The public keyset of a signature keyset, as Tink JSON: it holds no secret.
   *
   * @throws IllegalArgumentException if {@code handle} is not a signature keyset
   */
  public static String toPublicJson(KeysetHandle handle) {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(publicHalf(handle));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a signature keyset: it has secret key material");
    }
  }

  /**
   * The public keyset of a private signature keyset; any other keyset (a public one, or one of
   * another kind) as it is.
   */
  public static KeysetHandle publicHalf(KeysetHandle handle) {
    try {
      return handle.getPublicKeysetHandle();
    } catch (GeneralSecurityException alreadyPublicOrNoSignatureKeyset) {
      return handle;
    }
  }

  /**
   * A new keyset with one HMAC-SHA256 key and raw output (32 bytes, no key id prefix), for
   * deterministic keyed pseudonyms ({@link SubjectPseudonyms}).
   */
  public static KeysetHandle generatePseudonymKey() {
    return generate(rawHmac());
  }

  private static Parameters rawHmac() {
    try {
      return com.google.crypto.tink.mac.HmacParameters.builder()
          .setKeySizeBytes(32)
          .setTagSizeBytes(32)
          .setHashType(com.google.crypto.tink.mac.HmacParameters.HashType.SHA256)
          .setVariant(com.google.crypto.tink.mac.HmacParameters.Variant.NO_PREFIX)
          .build();
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not describe an HMAC key", e);
    }
  }

  private static KeysetHandle generate(Parameters parameters) {
    try {
      return KeysetHandle.generateNew(parameters);
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not generate a keyset", e);
    }
  }

  /**
   * A copy of {@code handle} with a new key of the primary's parameters, made primary. Existing
   * keys stay enabled, so their ciphertexts and MACs still verify.
   */
  public static KeysetHandle rotate(KeysetHandle handle) {
    return addKey(handle, true);
  }

  /**
   * A copy of {@code handle} with a new, enabled, non-primary key of the primary's parameters. The
   * first step of a rolling rotation across servers: deploy this everywhere, then {@link #promote}.
   */
  public static KeysetHandle addKey(KeysetHandle handle, boolean primary) {
    try {
      KeysetHandle.Builder.Entry entry =
          KeysetHandle.generateEntryFromParameters(handle.getPrimary().getKey().getParameters())
              .withRandomId();
      if (primary) {
        entry.makePrimary();
      }
      return KeysetHandle.newBuilder(handle).addEntry(entry).build();
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not add a key to the keyset", e);
    }
  }

  /**
   * A copy of {@code handle} without key {@code keyId}: the last step of a rotation, once a
   * re-encryption job has moved everything the key protected to the new primary.
   *
   * @throws IllegalArgumentException if the keyset has no such key, or it is the primary
   */
  public static KeysetHandle remove(KeysetHandle handle, int keyId) {
    KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
    for (int i = 0; i < builder.size(); i++) {
      if (handle.getAt(i).getId() == keyId) {
        if (handle.getAt(i).isPrimary()) {
          throw new IllegalArgumentException("key " + keyId + " is the primary: promote another");
        }
        builder.deleteAt(i);
        try {
          return builder.build();
        } catch (GeneralSecurityException e) {
          throw new AuditCryptoException("could not remove key " + keyId, e);
        }
      }
    }
    throw new IllegalArgumentException("the keyset has no key " + keyId);
  }

  /**
   * A copy of {@code handle} with key {@code keyId} as primary.
   *
   * @throws IllegalArgumentException if the keyset has no enabled key with that id
   */
  public static KeysetHandle promote(KeysetHandle handle, int keyId) {
    KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
    for (int i = 0; i < builder.size(); i++) {
      KeysetHandle.Builder.Entry entry = builder.getAt(i);
      if (handle.getAt(i).getId() == keyId) {
        if (entry.getStatus() != KeyStatus.ENABLED) {
          throw new IllegalArgumentException("key " + keyId + " is not enabled");
        }
        entry.makePrimary();
        try {
          return builder.build();
        } catch (GeneralSecurityException e) {
          throw new AuditCryptoException("could not promote key " + keyId, e);
        }
      }
    }
    throw new IllegalArgumentException("the keyset has no key " + keyId);
  }

  /**
   * Parses a cleartext Tink JSON keyset.
   *
   * @param source what the JSON came from (a configuration key or a path), for the error message
   * @throws IllegalArgumentException if it is not a valid keyset; the message names {@code source}
   */
  public static KeysetHandle parseJson(String json, String source) {
    try {
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      handle.getPrimary(); // throws if the keyset has no valid primary key
      return handle;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          source + " is not a valid Tink JSON keyset (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Serialises {@code handle} as cleartext Tink JSON. The result is secret. */
  public static String toJson(KeysetHandle handle) {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not serialise the keyset", e);
    }
  }

  /**
   * Reads a cleartext Tink JSON keyset file.
   *
   * @throws IllegalArgumentException if the file cannot be read or is not a keyset
   */
  public static KeysetHandle readFile(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read keyset file " + file + ": " + e, e);
    }
    return parseJson(json, "keyset file " + file);
  }

  /**
   * Loads a keyset from configuration: the file named by {@code fileKey} if set, else the inline
   * JSON of {@code inlineKey}, else empty.
   *
   * @throws IllegalArgumentException if the configured keyset cannot be read or parsed; the message
   *     names the key
   */
  public static Optional<KeysetHandle> fromSettings(
      Settings settings, String fileKey, String inlineKey) {
    Optional<String> file = settings.string(fileKey);
    if (file.isPresent()) {
      try {
        return Optional.of(readFile(Path.of(file.get())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(fileKey + ": " + e.getMessage(), e);
      }
    }
    return settings.string(inlineKey).map(json -> parseJson(json, inlineKey));
  }

  /**
   * Loads a keyset from configuration: the encrypted keyset file named by {@code encryptedFileKey}
   * (decrypted with the {@link KeyEncryptionKey} of {@code settings}), else the cleartext one of
   * {@code fileKey} or {@code inlineKey} ({@link #fromSettings(Settings, String, String)}), else
   * empty. Which forms are allowed outside development mode is checked at start-up ({@code
   * AuditKeys}).
   *
   * @throws IllegalArgumentException if the configured keyset cannot be read, has no KEK, or does
   *     not decrypt; the message names the setting
   */
  public static Optional<KeysetHandle> fromSettings(
      Settings settings,
      String encryptedFileKey,
      String fileKey,
      String inlineKey,
      KeysetPurpose purpose) {
    Optional<KeysetHandle> encrypted = fromSettings(settings, encryptedFileKey, purpose);
    return encrypted.isPresent() ? encrypted : fromSettings(settings, fileKey, inlineKey);
  }

  /**
   * The encrypted keyset file named by {@code encryptedFileKey}, decrypted with the {@link
   * KeyEncryptionKey} of {@code settings}; empty if the key is not set.
   *
   * @throws IllegalArgumentException if it cannot be read, has no KEK, or does not decrypt; the
   *     message names the setting
   */
  public static Optional<KeysetHandle> fromSettings(
      Settings settings, String encryptedFileKey, KeysetPurpose purpose) {
    Optional<String> encrypted = settings.string(encryptedFileKey);
    if (encrypted.isEmpty()) {
      return Optional.empty();
    }
    Aead kek =
        KeyEncryptionKey.fromSettings(settings)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        encryptedFileKey
                            + " is an encrypted keyset, but no key-encryption key is configured ("
                            + KeyEncryptionKey.PREFIX
                            + "pkcs11.* or "
                            + KeyEncryptionKey.KEYSET_FILE
                            + ")"));
    String json;
    try {
      json = Files.readString(Path.of(encrypted.get()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          encryptedFileKey + ": cannot read keyset file " + encrypted.get());
    }
    return Optional.of(parseEncryptedJson(json, kek, purpose, encryptedFileKey));
  }

  /** Whether {@code json} is an encrypted Tink JSON keyset (rather than a cleartext one). */
  public static boolean isEncryptedJson(String json) {
    return json.contains("\"encryptedKeyset\"");
  }

  /**
   * Decrypts an encrypted Tink JSON keyset of {@code purpose} with {@code kek}.
   *
   * @param source the setting or file it came from, for the message
   * @throws IllegalArgumentException if it does not decrypt (another KEK, another purpose, or
   *     modified) or is no valid keyset
   */
  public static KeysetHandle parseEncryptedJson(
      String json, Aead kek, KeysetPurpose purpose, String source) {
    if (!isEncryptedJson(json)) {
      throw new IllegalArgumentException(
          source
              + " is not an encrypted keyset (KeysetTool encrypt makes one from a cleartext one)");
    }
    try {
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, kek, purpose.associatedData());
      handle.getPrimary();
      return handle;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          source
              + " does not decrypt as the "
              + purpose.label()
              + " keyset under the configured key-encryption key (another KEK, a keyset of"
              + " another purpose, or a modified file)");
    }
  }

  /**
   * The purpose an encrypted keyset was written for: the one whose associated data decrypts it.
   *
   * @throws IllegalArgumentException if none does
   */
  public static KeysetPurpose purposeOf(String json, Aead kek, String source) {
    for (KeysetPurpose p : KeysetPurpose.values()) {
      try {
        TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, kek, p.associatedData());
        return p;
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next purpose
      }
    }
    throw new IllegalArgumentException(
        source + " does not decrypt under this key-encryption key (another KEK, or modified)");
  }

  /** Serialises {@code handle} encrypted under {@code kek}, bound to {@code purpose}. */
  public static String toEncryptedJson(KeysetHandle handle, Aead kek, KeysetPurpose purpose) {
    try {
      return TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(
          handle, kek, purpose.associatedData());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the key-encryption key could not encrypt the keyset ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /**
   * Writes a cleartext keyset to {@code file}, readable and writable by the owner only (on POSIX
   * file systems). With {@code replace}, an existing file is replaced atomically through a
   * temporary file in the same directory; without, an existing file is an error.
   *
   * @throws IOException if the file exists (and not {@code replace}) or cannot be written
   */
  public static void writeFile(Path file, KeysetHandle handle, boolean replace) throws IOException {
    writeFile(file, toJson(handle), replace);
  }

  /**
   * Writes keyset JSON (cleartext or encrypted) to {@code file} as {@link #writeFile(Path,
   * KeysetHandle, boolean)} does: owner-only, atomically replaced or refused if it exists.
   */
  public static void writeFile(Path file, String content, boolean replace) throws IOException {
    byte[] json = content.getBytes(StandardCharsets.UTF_8);
    Path target = file.toAbsolutePath();
    if (!replace) {
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      createOwnerOnly(target);
      Files.write(target, json);
      return;
    }
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + System.nanoTime());
    createOwnerOnly(tmp);
    try {
      Files.write(tmp, json);
      try {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void createOwnerOnly(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<Set<PosixFilePermission>> attr =
          PosixFilePermissions.asFileAttribute(OWNER_ONLY);
      Files.createFile(file, attr);
    } else {
      Files.createFile(file);
      java.io.File f = file.toFile();
      boolean ok =
          f.setReadable(false, false)
              && f.setReadable(true, true)
              && f.setWritable(false, false)
              && f.setWritable(true, true);
      if (!ok) {
        throw new IOException("cannot restrict the permissions of " + file);
      }
    }
  }

  /** The AEAD primitive of {@code handle}. */
  static Aead aead(KeysetHandle handle) {
    try {
      return handle.getPrimitive(com.google.crypto.tink.RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the keyset is not an AEAD keyset", e);
    }
  }
}
