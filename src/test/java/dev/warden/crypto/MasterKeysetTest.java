package dev.warden.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import dev.warden.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysetTest {
  static final byte[] AD = AssociatedData.forField("audit_record", "prompt", "r1");

  static Settings settings(Map<String, String> values) {
    return new Settings(k -> Optional.ofNullable(values.get(k)), values.keySet());
  }

  @Test
  void roundTripsAndBindsTableColumnAndRow() {
    MasterKeyset keys = MasterKeyset.of(Keysets.generateAead());
    byte[] ct = keys.encrypt("hello".getBytes(UTF_8), AD);

    assertThat(new String(keys.decrypt(ct, AD), UTF_8)).isEqualTo("hello");
    assertThatThrownBy(
            () -> keys.decrypt(ct, AssociatedData.forField("audit_record", "prompt", "r2")))
        .isInstanceOf(AuditCryptoException.class)
        .isNotInstanceOf(SubjectErasedException.class);
    assertThatThrownBy(
            () -> keys.decrypt(ct, AssociatedData.forField("audit_record", "output", "r1")))
        .isInstanceOf(AuditCryptoException.class);
    assertThatThrownBy(
            () -> keys.decrypt(ct, AssociatedData.forField("audit_tool_call", "prompt", "r1")))
        .isInstanceOf(AuditCryptoException.class);
    byte[] flipped = ct.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(() -> keys.decrypt(flipped, AD)).isInstanceOf(AuditCryptoException.class);
  }

  @Test
  void ciphertextsNameTheirKey() {
    MasterKeyset keys = MasterKeyset.of(Keysets.generateAead());
    byte[] ct = keys.encrypt(new byte[] {1}, AD);
    assertThat(MasterKeyset.keyIdOf(ct)).hasValue(keys.primaryKeyId());
    assertThat(MasterKeyset.keyIdOf(new byte[] {0, 1})).isEmpty();
    assertThat(keys.toString()).contains(String.valueOf(keys.primaryKeyId()));
  }

  @Test
  void rotationKeepsOldCiphertextsReadableAndReencryptMovesThemForward() {
    KeysetHandle v1 = Keysets.generateAead();
    MasterKeyset before = MasterKeyset.of(v1);
    byte[] old = before.encrypt("old".getBytes(UTF_8), AD);

    MasterKeyset after = MasterKeyset.of(Keysets.rotate(v1));
    assertThat(after.primaryKeyId()).isNotEqualTo(before.primaryKeyId());
    assertThat(after.keyIds()).containsExactly(before.primaryKeyId(), after.primaryKeyId());

    assertThat(new String(after.decrypt(old, AD), UTF_8)).isEqualTo("old");
    assertThat(after.isCurrent(old)).isFalse();
    byte[] fresh = after.encrypt("new".getBytes(UTF_8), AD);
    assertThat(after.isCurrent(fresh)).isTrue();
    assertThat(MasterKeyset.keyIdOf(fresh)).hasValue(after.primaryKeyId());

    byte[] moved = after.reencrypt(old, AD);
    assertThat(after.isCurrent(moved)).isTrue();
    assertThat(new String(after.decrypt(moved, AD), UTF_8)).isEqualTo("old");
    // the old keyset alone cannot read what the new primary made
    assertThatThrownBy(() -> before.decrypt(moved, AD)).isInstanceOf(AuditCryptoException.class);
    // reencrypt authenticates first
    assertThatThrownBy(
            () -> after.reencrypt(old, AssociatedData.forField("audit_record", "prompt", "r9")))
        .isInstanceOf(AuditCryptoException.class);
  }

  @Test
  void rollingRotationAddsThenPromotes() {
    KeysetHandle v1 = Keysets.generateAead();
    KeysetHandle added = Keysets.addKey(v1, false);
    MasterKeyset stillOld = MasterKeyset.of(added);
    assertThat(stillOld.primaryKeyId()).isEqualTo(v1.getPrimary().getId());
    int newId = added.getAt(1).getId();

    MasterKeyset promoted = MasterKeyset.of(Keysets.promote(added, newId));
    assertThat(promoted.primaryKeyId()).isEqualTo(newId);
    assertThat(stillOld.decrypt(promoted.encrypt(new byte[] {7}, AD), AD)).containsExactly(7);
    assertThatThrownBy(() -> Keysets.promote(added, 12345))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loadsAKeysetEncryptedUnderAKeyEncryptionKey() throws Exception {
    // stands in for a KMS key: any Tink Aead plugs in the same way
    Aead kms = Keysets.generateAead().getPrimitive(RegistryConfiguration.get(), Aead.class);
    KeysetHandle master = Keysets.generateAead();
    byte[] ad = "warden-master-keyset".getBytes(UTF_8);
    String json = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(master, kms, ad);

    assertThat(MasterKeyset.fromEncryptedJson(json, kms, ad).primaryKeyId())
        .isEqualTo(master.getPrimary().getId());
    assertThatThrownBy(() -> MasterKeyset.fromEncryptedJson(json, kms, "other".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loadsFromAFileBeforeInlineJson(@TempDir Path dir) throws Exception {
    KeysetHandle inFile = Keysets.generateAead();
    Path file = dir.resolve("master.json");
    Keysets.writeFile(file, inFile, false);
    String inline = Keysets.toJson(Keysets.generateAead());

    MasterKeyset both =
        MasterKeyset.fromSettings(
            settings(
                Map.of(MasterKeyset.KEYSET_FILE, file.toString(), MasterKeyset.KEYSET, inline)));
    assertThat(both.primaryKeyId()).isEqualTo(inFile.getPrimary().getId());

    MasterKeyset onlyInline =
        MasterKeyset.fromSettings(settings(Map.of(MasterKeyset.KEYSET, inline)));
    assertThat(onlyInline.primaryKeyId()).isNotEqualTo(inFile.getPrimary().getId());
  }

  @Test
  void configurationErrorsNameTheKeyButNeverTheKeyset(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> MasterKeyset.fromSettings(settings(Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(MasterKeyset.KEYSET_FILE);

    String broken =
        Keysets.toJson(Keysets.generateAead()).replace("\"primaryKeyId\"", "\"primaryKeyIdX\"")
            + "{";
    assertThatThrownBy(
            () -> MasterKeyset.fromSettings(settings(Map.of(MasterKeyset.KEYSET, broken))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(MasterKeyset.KEYSET)
        .hasNoCause()
        .satisfies(
            e -> assertThat(e.getMessage()).doesNotContain("keyData").doesNotContain("value"));

    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(
            () ->
                MasterKeyset.fromSettings(
                    settings(Map.of(MasterKeyset.KEYSET_FILE, missing.toString()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(MasterKeyset.KEYSET_FILE);

    String mac = Keysets.toJson(Keysets.generateMac());
    assertThatThrownBy(() -> MasterKeyset.fromSettings(settings(Map.of(MasterKeyset.KEYSET, mac))))
        .isInstanceOf(IllegalArgumentException.class);
    Files.deleteIfExists(missing);
  }
}
