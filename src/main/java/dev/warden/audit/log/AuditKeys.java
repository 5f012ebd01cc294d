package dev.warden.audit.log;

import com.google.crypto.tink.KeysetHandle;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The audit log's keys: the master AEAD keyset ({@value MasterKeyset#KEYSET_FILE} or {@value
 * MasterKeyset#KEYSET}), the checkpoint MAC keyset ({@value CheckpointSigner#MAC_KEYSET_FILE} or
 * {@value CheckpointSigner#MAC_KEYSET}), and the per-subject data keys over {@link
 * JpaSubjectKeyStore}.
 *
 * <p>The subject pseudonym keyset ({@value SubjectPseudonyms#KEYSET_FILE} or {@value
 * SubjectPseudonyms#KEYSET}) keys the stored data subject ({@link SubjectPseudonyms}).
 *
 * <p><b>Development keysets.</b> When neither the master nor the MAC keyset is configured and
 * {@value #DEV_KEYSET_DIR} names a directory, a pair is generated once into it ({@code
 * master.json}, {@code mac.json}, and {@code pseudonym.json} unless that one is configured;
 * owner-only files, in an owner-only directory) and reused on later starts, with the warning {@code
 * WARDEN0310W}. With neither, the application does not start ({@link #problem}). Production
 * configures both. Configuring only one of them is an error. Key material is never logged.
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

  /** The generated development pseudonym keyset's file name. */
  static final String DEV_PSEUDONYM = "pseudonym.json";

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
   * Why the audit log cannot start with {@code settings}: no keyset configured and no development
   * keyset directory either.
   */
  static Optional<String> problem(Settings settings) {
    if (configured(settings) || settings.string(DEV_KEYSET_DIR).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        "Warden needs its audit keysets: set "
            + MasterKeyset.KEYSET_FILE
            + ", "
            + CheckpointSigner.MAC_KEYSET_FILE
            + " and "
            + SubjectPseudonyms.KEYSET_FILE
            + " (create them with dev.warden.crypto.KeysetTool new-aead, new-mac and"
            + " new-pseudonym), or, for development only, "
            + DEV_KEYSET_DIR
            + " (a directory where Warden generates them)");
  }

  private static boolean configured(Settings settings) {
    return settings.string(MasterKeyset.KEYSET_FILE).isPresent()
        || settings.string(MasterKeyset.KEYSET).isPresent()
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
    if (configured(settings)) {
      return settings; // configured (a missing one fails with a message naming its key)
    }
    problem(settings)
        .ifPresent(
            p -> {
              throw new IllegalStateException(p);
            });
    boolean pseudonym =
        settings.string(SubjectPseudonyms.KEYSET_FILE).isPresent()
            || settings.string(SubjectPseudonyms.KEYSET).isPresent();
    Path dir = Path.of(settings.string(DEV_KEYSET_DIR).orElseThrow());
    Path masterFile = dir.resolve(DEV_MASTER);
    Path macFile = dir.resolve(DEV_MAC);
    Path pseudonymFile = dir.resolve(DEV_PSEUDONYM);
    try {
      ensureDevKeysets(dir, masterFile, macFile);
      if (!pseudonym) {
        writeIfAbsent(pseudonymFile, Keysets::generatePseudonymKey);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the development audit keysets in " + dir, e);
    }
    if (!warned) {
      warned = true;
      LOG.log(
          Level.WARNING,
          "WARDEN0310W: no audit keysets are configured; using DEVELOPMENT keysets in {0}."
              + " Production must set {1}, {2} and {3} (keep them outside the database and its"
              + " backups).",
          new Object[] {
            dir,
            MasterKeyset.KEYSET_FILE,
            CheckpointSigner.MAC_KEYSET_FILE,
            SubjectPseudonyms.KEYSET_FILE
          });
    }
    Map<String, String> overrides = new HashMap<>();
    overrides.put(MasterKeyset.KEYSET_FILE, masterFile.toString());
    overrides.put(CheckpointSigner.MAC_KEYSET_FILE, macFile.toString());
    if (!pseudonym) {
      overrides.put(SubjectPseudonyms.KEYSET_FILE, pseudonymFile.toString());
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
