package dev.warden.openai.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.Settings;
import dev.warden.openai.error.NoCredentialException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredCredentialProviderTest {

  private final Map<String, String> config = new HashMap<>();

  private ConfiguredCredentialProvider provider(String header) {
    return new ConfiguredCredentialProvider(
        () -> new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet()), header);
  }

  @Test
  void openAiKeyFromTheEnvironmentAsBearer() {
    config.put("OPENAI_API_KEY", "sk-test-env");
    UpstreamCredential c = provider("Authorization").credential();
    assertThat(c.header()).isEqualTo("Authorization");
    assertThat(c.value()).isEqualTo("Bearer sk-test-env");
    assertThat(c.toString()).doesNotContain("sk-test-env");
  }

  @Test
  void wardenKeyWinsAndAzureGetsTheBareKey() {
    config.put("OPENAI_API_KEY", "sk-env");
    config.put("warden.openai.api-key", "azure-key");
    UpstreamCredential c = provider("api-key").credential();
    assertThat(c.header()).isEqualTo("api-key");
    assertThat(c.value()).isEqualTo("azure-key");
  }

  @Test
  void noKeyMeansNoRequestAndTheErrorSaysHowToFixIt() {
    assertThatThrownBy(() -> provider("Authorization").credential())
        .isInstanceOf(NoCredentialException.class)
        .hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  void aRotatedSecretFileIsPickedUpWithoutRestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("openai-key");
    Files.writeString(file, "sk-first\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    config.put("warden.openai.api-key-file", file.toString());
    config.put("OPENAI_API_KEY", "sk-env-ignored");
    ConfiguredCredentialProvider p = provider("Authorization");

    assertThat(p.credential().value()).isEqualTo("Bearer sk-first");

    Files.writeString(file, "sk-second-rotated\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
    assertThat(p.credential().value()).isEqualTo("Bearer sk-second-rotated");
  }

  @Test
  void anUnreadableSecretFileFailsClosedWithoutLeakingAnything(@TempDir Path dir) {
    config.put("warden.openai.api-key-file", dir.resolve("missing").toString());
    config.put("OPENAI_API_KEY", "sk-env");
    assertThatThrownBy(() -> provider("Authorization").credential())
        .isInstanceOf(NoCredentialException.class)
        .hasMessageNotContaining("sk-env");
  }
}
