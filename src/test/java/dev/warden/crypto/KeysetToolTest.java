package dev.warden.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysetToolTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return KeysetTool.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void generatesAnOwnerOnlyAeadKeysetAndRefusesToOverwriteIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("master.json");
    assertThat(run("new-aead", file.toString())).isZero();

    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    MasterKeyset keys = MasterKeyset.of(Keysets.readFile(file));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("primary key");

    byte[] before = Files.readAllBytes(file);
    assertThat(run("new-aead", file.toString())).isEqualTo(1);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(keys.keyIds()).hasSize(1);
  }

  @Test
  void rotateAddsANewPrimaryAndOldCiphertextsStillDecrypt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("master.json");
    run("new-aead", file.toString());
    MasterKeyset v1 = MasterKeyset.of(Keysets.readFile(file));
    byte[] ad = AssociatedData.forField("t", "c", "1");
    byte[] old = v1.encrypt(new byte[] {42}, ad);

    assertThat(run("rotate", file.toString())).isZero();
    MasterKeyset v2 = MasterKeyset.of(Keysets.readFile(file));
    assertThat(v2.keyIds()).hasSize(2).contains(v1.primaryKeyId());
    assertThat(v2.primaryKeyId()).isNotEqualTo(v1.primaryKeyId());
    assertThat(v2.decrypt(old, ad)).containsExactly(42);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void addThenPromoteIsARollingRotation(@TempDir Path dir) {
    Path file = dir.resolve("master.json");
    run("new-aead", file.toString());
    int first = MasterKeyset.of(Keysets.readFile(file)).primaryKeyId();
    assertThat(run("add", file.toString())).isZero();
    KeysetHandle added = Keysets.readFile(file);
    assertThat(added.getPrimary().getId()).isEqualTo(first);
    int second = added.getAt(1).getId();

    assertThat(run("promote", file.toString(), Integer.toUnsignedString(second))).isZero();
    assertThat(MasterKeyset.of(Keysets.readFile(file)).primaryKeyId()).isEqualTo(second);
  }

  @Test
  void generatesAMacKeysetForCheckpoints(@TempDir Path dir) {
    Path file = dir.resolve("mac.json");
    assertThat(run("new-mac", file.toString())).isZero();
    CheckpointSigner signer = CheckpointSigner.of(Keysets.readFile(file));
    assertThat(signer.verify(signer.sign(1, new byte[32], java.time.Instant.now()))).isTrue();
  }

  @Test
  void generatesASigningKeysetAndWritesItsPublicKeyForAuditors(@TempDir Path dir) throws Exception {
    Path kek = dir.resolve("kek.json");
    Path signing = dir.resolve("signing.enc.json");
    Path pub = dir.resolve("public.json");
    assertThat(run("new-aead", kek.toString())).isZero();
    assertThat(run("new-signing", signing.toString(), "--kek-keyset-file", kek.toString()))
        .isZero();
    assertThat(Keysets.isEncryptedJson(Files.readString(signing))).isTrue();
    assertThat(run("public-key", signing.toString(), pub.toString())).isEqualTo(1);
    assertThat(
            run(
                "public-key",
                signing.toString(),
                pub.toString(),
                "--kek-keyset-file",
                kek.toString()))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(pub.toString());
    // the public key checks what the signing key signs, and nothing signed by another key
    KeysetHandle handle =
        Keysets.parseEncryptedJson(
            Files.readString(signing),
            Keysets.aead(Keysets.readFile(kek)),
            KeysetPurpose.SIGNING,
            "test");
    CheckpointSigner signer = CheckpointSigner.of(Keysets.generateMac(), handle);
    CheckpointSigner verifier = CheckpointSigner.verifying(Keysets.readFile(pub));
    assertThat(verifier.verify(signer.sign(7, new byte[32], java.time.Instant.now()))).isTrue();
    assertThat(
            verifier.verify(
                CheckpointSigner.of(Keysets.generateMac(), Keysets.generateSigning())
                    .sign(7, new byte[32], java.time.Instant.now())))
        .isFalse();
    // it refuses to overwrite, and a MAC keyset has no public key
    assertThat(
            run(
                "public-key",
                signing.toString(),
                pub.toString(),
                "--kek-keyset-file",
                kek.toString()))
        .isEqualTo(1);
    Path mac = dir.resolve("mac.json");
    run("new-mac", mac.toString());
    assertThat(run("public-key", mac.toString(), dir.resolve("p2.json").toString())).isEqualTo(1);
  }

  @Test
  void neverPrintsKeyMaterial(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("master.json");
    run("new-aead", file.toString());
    run("rotate", file.toString());
    run("info", file.toString());
    String json = Files.readString(file);
    Matcher values = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    int secrets = 0;
    while (values.find()) {
      secrets++;
      assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
          .doesNotContain(values.group(1));
    }
    assertThat(secrets).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("AesGcm").contains("ENABLED");
  }

  @Test
  void usageErrorsExitWithTwo(@TempDir Path dir) {
    assertThat(run()).isEqualTo(2);
    assertThat(run("explode", dir.resolve("x").toString())).isEqualTo(2);
    assertThat(run("promote", dir.resolve("x").toString())).isEqualTo(2);
    assertThat(run("info", dir.resolve("missing.json").toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage");
  }

  private static Settings settings(Map<String, String> values) {
    return new Settings(k -> Optional.ofNullable(values.get(k)), values.keySet());
  }

  @Test
  void encryptRotateAndRewrapUnderKekFilesKeepTheKeysetEncryptedAndItsKeys(@TempDir Path dir)
      throws Exception {
    Path kek = dir.resolve("kek.json");
    Path kek2 = dir.resolve("kek2.json");
    Path clear = dir.resolve("master.json");
    Path enc = dir.resolve("master.enc.json");
    assertThat(run("new-aead", kek.toString())).isZero();
    assertThat(run("new-aead", kek2.toString())).isZero();
    assertThat(run("new-aead", clear.toString())).isZero();
    MasterKeyset original = MasterKeyset.of(Keysets.readFile(clear));
    byte[] ad = {1};
    byte[] ct = original.encrypt(new byte[] {42}, ad);

    assertThat(
            run(
                "encrypt",
                clear.toString(),
                enc.toString(),
                "master",
                "--kek-keyset-file",
                kek.toString()))
        .isZero();
    String json = Files.readString(enc);
    assertThat(Keysets.isEncryptedJson(json)).isTrue();
    Map<String, String> m = new HashMap<>();
    m.put(KeyEncryptionKey.KEYSET_FILE, kek.toString());
    m.put(MasterKeyset.ENCRYPTED_KEYSET_FILE, enc.toString());
    assertThat(MasterKeyset.fromSettings(settings(m)).decrypt(ct, ad)).containsExactly(42);
    // the KEK also works inline (WARDEN_AUDIT_KEK_KEYSET)
    Map<String, String> inline = new HashMap<>(m);
    inline.remove(KeyEncryptionKey.KEYSET_FILE);
    inline.put(KeyEncryptionKey.KEYSET, Files.readString(kek));
    assertThat(MasterKeyset.fromSettings(settings(inline)).primaryKeyId())
        .isEqualTo(original.primaryKeyId());

    // an encrypted file needs its KEK; a cleartext one is not rotated "under" a KEK
    assertThat(run("rotate", enc.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is encrypted");
    assertThat(run("rotate", clear.toString(), "--kek-keyset-file", kek.toString())).isEqualTo(1);

    assertThat(run("rotate", enc.toString(), "--kek-keyset-file", kek.toString())).isZero();
    assertThat(Keysets.isEncryptedJson(Files.readString(enc))).isTrue();
    MasterKeyset rotated = MasterKeyset.fromSettings(settings(m));
    assertThat(rotated.keyIds()).hasSize(2).contains(original.primaryKeyId());

    assertThat(
            run(
                "rewrap",
                enc.toString(),
                "--kek-keyset-file",
                kek.toString(),
                "--new-kek-keyset-file",
                kek2.toString()))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("re-encrypted the master keyset");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> MasterKeyset.fromSettings(settings(m)))
        .hasMessageContaining(MasterKeyset.ENCRYPTED_KEYSET_FILE);
    m.put(KeyEncryptionKey.KEYSET_FILE, kek2.toString());
    MasterKeyset rewrapped = MasterKeyset.fromSettings(settings(m));
    assertThat(rewrapped.keyIds()).isEqualTo(rotated.keyIds());
    assertThat(rewrapped.decrypt(ct, ad)).containsExactly(42);
    assertThat(run("info", enc.toString(), "--kek-keyset-file", kek2.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("encrypted master keyset");

    // two KEK sources at once are refused, naming both
    Map<String, String> both = new HashMap<>(m);
    both.put(KeyEncryptionKey.PKCS11_KEY_LABEL, "x");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MasterKeyset.fromSettings(settings(both)))
        .hasMessageContaining(KeyEncryptionKey.KEYSET_FILE)
        .hasMessageContaining("pkcs11");
  }
}
