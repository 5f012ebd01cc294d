package dev.warden.audit.log;

import com.google.crypto.tink.KeysetHandle;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.config.ConfigProducer;
import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import dev.warden.crypto.KeyEncryptionKey;
import dev.warden.crypto.KeysetPurpose;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import dev.warden.pii.PiiPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The audit log's keys: the master AEAD keyset ({@value MasterKeyset#KEYSET_FILE} or {@value
 * MasterKeyset#KEYSET}), the checkpoint MAC keyset ({@value CheckpointSigner#MAC_KEYSET_FILE} or
 * {@value CheckpointSigner#MAC_KEYSET}), the Ed25519 signing keyset of checkpoints and exports
 * ({@value CheckpointSigner#SIGNING_KEYSET_FILE} or {@value CheckpointSigner#SIGNING_KEYSET}), and
 * the per-subject data keys over {@link JpaSubjectKeyStore}.
 *
 * <p>The subject pseudonym keyset ({@value SubjectPseudonyms#KEYSET_FILE} or {@value
 * SubjectPseudonyms#KEYSET}) keys the stored data subject ({@link SubjectPseudonyms}).
 *
 * <p><b>Production</b> (development mode off, {@link DevelopmentMode}) configures every keyset
 * encrypted under a key-encryption key ({@link KeyEncryptionKey}: an AES key in an HSM through
 * PKCS#11, or a KEK keyset): {@value MasterKeyset#ENCRYPTED_KEYSET_FILE}, {@value
 * CheckpointSigner#ENCRYPTED_MAC_KEYSET_FILE}, {@value
 * CheckpointSigner#ENCRYPTED_SIGNING_KEYSET_FILE} and {@value
 * SubjectPseudonyms#ENCRYPTED_KEYSET_FILE}. The application refuses to start ({@link
 * AuditRequirements}, one message naming the setting) without them, with {@value #DEV_KEYSET_DIR},
 * or with a cleartext keyset.
 *
 * <p><b>Development keysets</b> (development mode only). When neither the master nor the MAC keyset
 * is configured and {@value #DEV_KEYSET_DIR} names a directory, a pair is generated once into it
 * ({@code master.json}, {@code mac.json}, {@code signing.json} with its public key {@code
 * signing.public.json}, and {@code pseudonym.json} unless that one is configured; owner-only files,
 * in an owner-only directory) and reused on later starts, with the warning {@code WARDEN0310W}.
 * Configuring only one of them is an error. Key material is never logged.
 */
@ApplicationScoped
public class AuditKeys {
  private static final Logger LOG = Logger.getLogger(AuditKeys.class.getName());

  /**
   * Where development keysets are generated when no keyset is configured; unset outside
   * development. With a database that outlives the directory, keep it stable, or the stored subject
   * keys no longer unwrap.
   */
  public static final String DEV_KEYSET_DIR = "warden.audit.dev-keyset-dir";

  /** The generated development master keyset's file name. */
  static final String DEV_MASTER = "master.json";

  /** The generated development MAC keyset's file name. */
  static final String DEV_MAC = "mac.json";

  /** The generated development signing keyset's file name. */
  static final String DEV_SIGNING = "signing.json";

  /** The public keyset of {@value #DEV_SIGNING}, for the offline export verifier. */
  static final String DEV_SIGNING_PUBLIC = "signing.public.json";

  /** The generated development pseudonym keyset's file name. */
  static final String DEV_PSEUDONYM = "pseudonym.json";

  /** The cleartext keyset settings (development mode only), each with its encrypted form. */
  private static final List<String[]> CLEARTEXT =
      List.of(
          new String[] {MasterKeyset.KEYSET_FILE, MasterKeyset.ENCRYPTED_KEYSET_FILE},
          new String[] {MasterKeyset.KEYSET, MasterKeyset.ENCRYPTED_KEYSET_FILE},
          new String[] {
            CheckpointSigner.MAC_KEYSET_FILE, CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE
          },
          new String[] {CheckpointSigner.MAC_KEYSET, CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE},
          new String[] {
            CheckpointSigner.SIGNING_KEYSET_FILE, CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE
          },
          new String[] {
            CheckpointSigner.SIGNING_KEYSET, CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE
          },
          new String[] {SubjectPseudonyms.KEYSET_FILE, SubjectPseudonyms.ENCRYPTED_KEYSET_FILE},
          new String[] {SubjectPseudonyms.KEYSET, SubjectPseudonyms.ENCRYPTED_KEYSET_FILE},
          new String[] {PiiPolicy.HASH_KEY, PiiPolicy.HASH_ENCRYPTED_KEYSET_FILE});

  /** The encrypted keysets production needs, each with its cleartext forms. */
  private static final List<String[]> REQUIRED =
      List.of(
          new String[] {
            MasterKeyset.ENCRYPTED_KEYSET_FILE, MasterKeyset.KEYSET_FILE, MasterKeyset.KEYSET
          },
          new String[] {
            CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE,
            CheckpointSigner.MAC_KEYSET_FILE,
            CheckpointSigner.MAC_KEYSET
          },
          new String[] {
            CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE,
            CheckpointSigner.SIGNING_KEYSET_FILE,
            CheckpointSigner.SIGNING_KEYSET
          },
          new String[] {
            SubjectPseudonyms.ENCRYPTED_KEYSET_FILE,
            SubjectPseudonyms.KEYSET_FILE,
            SubjectPseudonyms.KEYSET
          });

  private static boolean warned;

  @Inject JpaSubjectKeyStore store;

  @Produces
  @Singleton
  MasterKeyset masterKeyset() {
    return MasterKeyset.fromSettings(effective(ConfigProducer.settings()));
  }

  @Produces
  @Singleton
  CheckpointSigner checkpointSigner() {
    return CheckpointSigner.fromSettings(effective(ConfigProducer.settings()));
  }

  @Produces
  @Singleton
  SubjectPseudonyms subjectPseudonyms() {
    return SubjectPseudonyms.fromSettings(effective(ConfigProducer.settings()));
  }

  @Produces
  @Singleton
  SubjectKeys subjectKeys(MasterKeyset master) {
    return SubjectKeys.fromSettings(ConfigProducer.settings(), master, store);
  }

  /**
   * Why the audit log cannot start with {@code settings}, in one message naming the settings.
   *
   * <p>Outside development mode ({@link DevelopmentMode}): every keyset must be configured
   * encrypted under a key-encryption key ({@link KeyEncryptionKey}); {@value #DEV_KEYSET_DIR} and
   * cleartext keysets are refused. In development mode: some keyset, or {@value #DEV_KEYSET_DIR}.
   */
  static Optional<String> problem(Settings settings) {
    List<String> problems = new ArrayList<>();
    if (DevelopmentMode.on(settings)) {
      if (!configured(settings) && settings.string(DEV_KEYSET_DIR).isEmpty()) {
        problems.add(
            "Warden needs its audit keysets: set "
                + MasterKeyset.ENCRYPTED_KEYSET_FILE
                + ", "
                + CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE
                + ", "
                + CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE
                + " and "
                + SubjectPseudonyms.ENCRYPTED_KEYSET_FILE
                + " (or, in development mode, "
                + MasterKeyset.KEYSET_FILE
                + ", "
                + CheckpointSigner.MAC_KEYSET_FILE
                + " and "
                + SubjectPseudonyms.KEYSET_FILE
                + ", or "
                + DEV_KEYSET_DIR
                + ", a directory where Warden generates them)");
      }
      return problems.isEmpty() ? Optional.empty() : Optional.of(problems.get(0));
    }
    if (settings.string(DEV_KEYSET_DIR).isPresent()) {
      problems.add(
          DEV_KEYSET_DIR
              + " is set, but generated development keysets are refused outside development mode ("
              + DevelopmentMode.KEY
              + "): remove it and configure encrypted keysets");
    }
    for (String[] c : CLEARTEXT) {
      if (settings.string(c[0]).isPresent()) {
        problems.add(
            c[0]
                + " is a cleartext key, refused outside development mode ("
                + DevelopmentMode.KEY
                + "): encrypt it under a key-encryption key (KeysetTool encrypt) and set "
                + c[1]);
      }
    }
    List<String> missing = new ArrayList<>();
    boolean anyEncrypted = false;
    for (String[] r : REQUIRED) {
      boolean encrypted = settings.string(r[0]).isPresent();
      anyEncrypted |= encrypted;
      if (!encrypted && settings.string(r[1]).isEmpty() && settings.string(r[2]).isEmpty()) {
        missing.add(r[0]);
      }
    }
    if (!missing.isEmpty()) {
      problems.add(
          "Warden needs its audit keysets: set "
              + String.join(", ", missing)
              + " (Tink keysets encrypted under the key-encryption key of "
              + KeyEncryptionKey.PREFIX
              + "*; create them with dev.warden.crypto.KeysetTool new-aead, new-mac, new-signing"
              + " and new-pseudonym --kek-...). Only development mode ("
              + DevelopmentMode.KEY
              + "=true) accepts cleartext keysets such as "
              + MasterKeyset.KEYSET_FILE
              + ", or "
              + DEV_KEYSET_DIR);
    }
    boolean piiEncrypted = settings.string(PiiPolicy.HASH_ENCRYPTED_KEYSET_FILE).isPresent();
    if ((anyEncrypted || piiEncrypted) && !KeyEncryptionKey.configured(settings)) {
      problems.add(
          "the encrypted keysets need their key-encryption key: set "
              + KeyEncryptionKey.PREFIX
              + "pkcs11.* (an AES key in an HSM) or "
              + KeyEncryptionKey.KEYSET_FILE);
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  /**
   * Why the configured keysets cannot be used: loads them (unwrapping them with the key-encryption
   * key, logging into the HSM) and reports the first failure, whose message names the setting (a
   * wrong PIN, no key with that label, a keyset that does not decrypt). Call it only once {@link
   * #problem} found nothing.
   */
  static Optional<String> loadProblem(Settings settings) {
    try {
      Settings s = effective(settings);
      MasterKeyset.fromSettings(s);
      CheckpointSigner.fromSettings(s);
      SubjectPseudonyms.fromSettings(s);
      Keysets.fromSettings(s, PiiPolicy.HASH_ENCRYPTED_KEYSET_FILE, KeysetPurpose.PII_HASH);
      return Optional.empty();
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      return Optional.of("Warden cannot use its audit keysets: " + e.getMessage());
    }
  }

  private static boolean configured(Settings settings) {
    return settings.string(MasterKeyset.ENCRYPTED_KEYSET_FILE).isPresent()
        || settings.string(MasterKeyset.KEYSET_FILE).isPresent()
        || settings.string(MasterKeyset.KEYSET).isPresent()
        || settings.string(CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE).isPresent()
        || settings.string(CheckpointSigner.MAC_KEYSET_FILE).isPresent()
        || settings.string(CheckpointSigner.MAC_KEYSET).isPresent();
  }

  /**
   * {@code settings}, or, when no keyset is configured at all, settings naming the development
   * keyset files in {@value #DEV_KEYSET_DIR} (generated if missing).
   *
   * @throws IllegalStateException when neither is configured ({@link #problem})
   */
  static synchronized Settings effective(Settings settings) {
    problem(settings)
        .ifPresent(
            p -> {
              throw new IllegalStateException(p);
            });
    if (configured(settings)) {
      return settings; // configured (a missing one fails with a message naming its key)
    }
    boolean pseudonym =
        settings.string(SubjectPseudonyms.ENCRYPTED_KEYSET_FILE).isPresent()
            || settings.string(SubjectPseudonyms.KEYSET_FILE).isPresent()
            || settings.string(SubjectPseudonyms.KEYSET).isPresent();
    Path dir = Path.of(settings.string(DEV_KEYSET_DIR).orElseThrow());
    Path masterFile = dir.resolve(DEV_MASTER);
    Path macFile = dir.resolve(DEV_MAC);
    Path pseudonymFile = dir.resolve(DEV_PSEUDONYM);
    boolean signing =
        settings.string(CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE).isPresent()
            || settings.string(CheckpointSigner.SIGNING_KEYSET_FILE).isPresent()
            || settings.string(CheckpointSigner.SIGNING_KEYSET).isPresent();
    Path signingFile = dir.resolve(DEV_SIGNING);
    try {
      ensureDevKeysets(dir, masterFile, macFile);
      if (!pseudonym) {
        writeIfAbsent(pseudonymFile, Keysets::generatePseudonymKey);
      }
      if (!signing) {
        writeIfAbsent(signingFile, Keysets::generateSigning);
        Path publicFile = dir.resolve(DEV_SIGNING_PUBLIC);
        if (!Files.exists(publicFile)) {
          try {
            Keysets.writeFile(
                publicFile, Keysets.toPublicJson(Keysets.readFile(signingFile)), false);
          } catch (FileAlreadyExistsException raced) {
            // another thread or server wrote it first
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the development audit keysets in " + dir, e);
    }
    if (!warned) {
      warned = true;
      LOG.log(
          Level.WARNING,
          "WARDEN0310W: no audit keysets are configured; using DEVELOPMENT keysets in {0}."
              + " Production must set {1}, {2}, {3} and {4}, encrypted under the key-encryption"
              + " key of {5}* (keep them outside the database and its backups).",
          new Object[] {
            dir,
            MasterKeyset.ENCRYPTED_KEYSET_FILE,
            CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE,
            CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE,
            SubjectPseudonyms.ENCRYPTED_KEYSET_FILE,
            KeyEncryptionKey.PREFIX
          });
    }
    Map<String, String> overrides = new HashMap<>();
    overrides.put(MasterKeyset.KEYSET_FILE, masterFile.toString());
    overrides.put(CheckpointSigner.MAC_KEYSET_FILE, macFile.toString());
    if (!pseudonym) {
      overrides.put(SubjectPseudonyms.KEYSET_FILE, pseudonymFile.toString());
    }
    if (!signing) {
      overrides.put(CheckpointSigner.SIGNING_KEYSET_FILE, signingFile.toString());
    }
    return new Settings(
        key -> overrides.containsKey(key) ? Optional.of(overrides.get(key)) : settings.string(key),
        settings.names());
  }

  private static void ensureDevKeysets(Path dir, Path masterFile, Path macFile) throws IOException {
    if (!Files.isDirectory(dir)) {
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    }
    writeIfAbsent(masterFile, Keysets::generateAead);
    writeIfAbsent(macFile, Keysets::generateMac);
  }

  private static void writeIfAbsent(Path file, Supplier<KeysetHandle> generate) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    try {
      Keysets.writeFile(file, generate.get(), false);
    } catch (FileAlreadyExistsException raced) {
      // another thread or server generated it first: use that one
    }
  }
}
