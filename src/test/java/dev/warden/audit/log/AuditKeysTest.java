package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.config.Settings;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectPseudonyms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditKeysTest {

  @TempDir Path dir;

  private static Settings settings(Map<String, String> values) {
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

    AuditKeys.effective(settings(Map.of(AuditKeys.DEV_KEYSET_DIR, keys.toString())));
    assertThat(Files.readString(master)).isEqualTo(before);
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
}
