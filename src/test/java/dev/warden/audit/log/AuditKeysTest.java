package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import dev.warden.crypto.KeyEncryptionKey;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectPseudonyms;
import dev.warden.pii.PiiPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditKeysTest {

  @TempDir Path dir;

  /** Settings in development mode, plus {@code values}. */
  private static Settings settings(Map<String, String> values) {
    Map<String, String> all = new java.util.HashMap<>(values);
    all.putIfAbsent(DevelopmentMode.KEY, "true");
    return production(all);
  }

  private static Settings production(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)), values.keySet());
  }

  @Test
  void withoutKeysetsADevelopmentPairIsGeneratedOnceOwnerOnly() throws Exception {
    Path keys = dir.resolve("keys");
    Settings s = AuditKeys.effective(settings(Map.of(AuditKeys.DEV_KEYSET_DIR, keys.toString())));
    Path master = keys.resolve(AuditKeys.DEV_MASTER);
    Path mac = keys.resolve(AuditKeys.DEV_MAC);
    assertThat(s.string(MasterKeyset.KEYSET_FILE)).contains(master.toString());
    assertThat(s.string(CheckpointSigner.MAC_KEYSET_FILE)).contains(mac.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(master)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
        .isEqualTo("rwx------");
    String before = Files.readString(master);
    MasterKeyset.fromSettings(s);
    CheckpointSigner.fromSettings(s);
    Path pseudonym = keys.resolve(AuditKeys.DEV_PSEUDONYM);
    assertThat(s.string(SubjectPseudonyms.KEYSET_FILE)).contains(pseudonym.toString());
    assertThat(SubjectPseudonyms.fromSettings(s).pseudonym("t", "x")).hasSize(64);
    // a signing key, so checkpoints and exports are signed, and its public key for the verifier
    Path signing = keys.resolve(AuditKeys.DEV_SIGNING);
    assertThat(s.string(CheckpointSigner.SIGNING_KEYSET_FILE)).contains(signing.toString());
    CheckpointSigner signer = CheckpointSigner.fromSettings(s);
    assertThat(signer.sealKind()).isEqualTo(dev.warden.audit.chain.SealKind.ED25519);
    Path pub = keys.resolve(AuditKeys.DEV_SIGNING_PUBLIC);
    assertThat(Files.readString(pub)).isEqualTo(signer.publicKeysetJson().orElseThrow());
    assertThat(
            CheckpointSigner.verifying(Keysets.readFile(pub))
                .verify(signer.sign(3, new byte[32], java.time.Instant.now())))
        .isTrue();

    AuditKeys.effective(settings(Map.of(AuditKeys.DEV_KEYSET_DIR, keys.toString())));
    assertThat(Files.readString(master)).isEqualTo(before);
    assertThat(Files.readString(pub)).isEqualTo(signer.publicKeysetJson().orElseThrow());
  }

  @Test
  void configuredKeysetsAreUsedAsTheyAre() {
    String json = Keysets.toJson(Keysets.generateAead());
    Settings configured = settings(Map.of(MasterKeyset.KEYSET, json));
    assertThat(AuditKeys.effective(configured)).isSameAs(configured);
    // only one of the two configured: the other is missing, loudly
    assertThatThrownBy(() -> CheckpointSigner.fromSettings(AuditKeys.effective(configured)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(CheckpointSigner.MAC_KEYSET_FILE);
  }

  @Test
  void withNeitherKeysetsNorADevelopmentDirectoryTheAuditLogCannotStartAndSaysWhatToSet() {
    Settings none = settings(Map.of());

    assertThat(AuditKeys.problem(none))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains(MasterKeyset.KEYSET_FILE)
                    .contains(CheckpointSigner.MAC_KEYSET_FILE)
                    .contains(SubjectPseudonyms.KEYSET_FILE)
                    .contains(AuditKeys.DEV_KEYSET_DIR));
    assertThatThrownBy(() -> AuditKeys.effective(none))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(MasterKeyset.KEYSET_FILE);
    assertThat(AuditKeys.problem(settings(Map.of(AuditKeys.DEV_KEYSET_DIR, dir.toString()))))
        .isEmpty();
    assertThat(AuditKeys.problem(settings(Map.of(MasterKeyset.KEYSET_FILE, "/keys/master.json"))))
        .isEmpty();
  }

  @Test
  void outsideDevelopmentModeNoKeysetsADevelopmentDirectoryAndCleartextKeysetsAreRefused() {
    assertThat(AuditKeys.problem(production(Map.of())))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains(MasterKeyset.ENCRYPTED_KEYSET_FILE)
                    .contains(CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE)
                    .contains(CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE)
                    .contains(SubjectPseudonyms.ENCRYPTED_KEYSET_FILE));
    assertThat(AuditKeys.problem(production(Map.of(AuditKeys.DEV_KEYSET_DIR, dir.toString()))))
        .hasValueSatisfying(
            p -> assertThat(p).contains(AuditKeys.DEV_KEYSET_DIR).contains(DevelopmentMode.KEY));
    assertThatThrownBy(
            () -> AuditKeys.effective(production(Map.of(AuditKeys.DEV_KEYSET_DIR, dir.toString()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(AuditKeys.DEV_KEYSET_DIR);
    assertThat(dir.resolve(AuditKeys.DEV_MASTER)).doesNotExist();

    Map<String, String> encrypted =
        Map.of(
            MasterKeyset.ENCRYPTED_KEYSET_FILE, "/k/master",
            CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE, "/k/mac",
            CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE, "/k/signing",
            SubjectPseudonyms.ENCRYPTED_KEYSET_FILE, "/k/pseudonym",
            KeyEncryptionKey.KEYSET_FILE, "/k/kek.json");
    assertThat(AuditKeys.problem(production(encrypted))).isEmpty();
    for (String cleartext :
        new String[] {
          MasterKeyset.KEYSET_FILE,
          MasterKeyset.KEYSET,
          CheckpointSigner.MAC_KEYSET_FILE,
          CheckpointSigner.MAC_KEYSET,
          CheckpointSigner.SIGNING_KEYSET_FILE,
          CheckpointSigner.SIGNING_KEYSET,
          SubjectPseudonyms.KEYSET_FILE,
          SubjectPseudonyms.KEYSET,
          PiiPolicy.HASH_KEY
        }) {
      Map<String, String> withCleartext = new java.util.HashMap<>(encrypted);
      withCleartext.put(cleartext, "x");
      assertThat(AuditKeys.problem(production(withCleartext)))
          .as(cleartext)
          .hasValueSatisfying(p -> assertThat(p).startsWith(cleartext + " is a cleartext key"));
      // development mode accepts it
      withCleartext.put(DevelopmentMode.KEY, "true");
      assertThat(AuditKeys.problem(production(withCleartext))).as(cleartext).isEmpty();
    }
    Map<String, String> noKek = new java.util.HashMap<>(encrypted);
    noKek.remove(KeyEncryptionKey.KEYSET_FILE);
    assertThat(AuditKeys.problem(production(noKek)))
        .hasValueSatisfying(p -> assertThat(p).contains(KeyEncryptionKey.KEYSET_FILE));
  }

  @Test
  void keysetsEncryptedUnderAKekKeysetFileLoadAndTheWrongKekIsNamed() throws Exception {
    Path kek = dir.resolve("kek.json");
    Path other = dir.resolve("other-kek.json");
    assertThat(
            dev.warden.crypto.KeysetTool.run(
                new String[] {"new-aead", kek.toString()}, System.out, System.err))
        .isZero();
    assertThat(
            dev.warden.crypto.KeysetTool.run(
                new String[] {"new-aead", other.toString()}, System.out, System.err))
        .isZero();
    Map<String, String> m = new java.util.HashMap<>();
    m.put(KeyEncryptionKey.KEYSET_FILE, kek.toString());
    String[][] files = {
      {"new-aead", MasterKeyset.ENCRYPTED_KEYSET_FILE},
      {"new-mac", CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE},
      {"new-signing", CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE},
      {"new-pseudonym", SubjectPseudonyms.ENCRYPTED_KEYSET_FILE}
    };
    for (String[] f : files) {
      Path file = dir.resolve(f[0] + ".enc.json");
      assertThat(
              dev.warden.crypto.KeysetTool.run(
                  new String[] {f[0], file.toString(), "--kek-keyset-file", kek.toString()},
                  System.out,
                  System.err))
          .isZero();
      m.put(f[1], file.toString());
    }
    assertThat(AuditKeys.problem(production(m))).isEmpty();
    assertThat(AuditKeys.loadProblem(production(m))).isEmpty();
    assertThat(SubjectPseudonyms.fromSettings(production(m)).pseudonym("t", "s")).hasSize(64);
    assertThat(CheckpointSigner.fromSettings(production(m)).sealKind())
        .isEqualTo(dev.warden.audit.chain.SealKind.ED25519);
    // a MAC keyset where the signing keyset belongs is refused by its purpose, naming the setting
    Map<String, String> swapped = new java.util.HashMap<>(m);
    swapped.put(
        CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE,
        m.get(CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE));
    assertThat(AuditKeys.loadProblem(production(swapped)))
        .hasValueSatisfying(
            p -> assertThat(p).contains(CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE));

    m.put(KeyEncryptionKey.KEYSET_FILE, other.toString());
    assertThat(AuditKeys.loadProblem(production(m)))
        .hasValueSatisfying(p -> assertThat(p).contains(MasterKeyset.ENCRYPTED_KEYSET_FILE));
  }
}
