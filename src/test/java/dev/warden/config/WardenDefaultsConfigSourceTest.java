package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.OpenAiSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * {@code config/warden.properties} is a MicroProfile Config source: registered for the service
 * loader (as MicroProfile Config finds sources), packaged where the source reads it, below an
 * application's {@code microprofile-config.properties}, and its per-model read timeouts reach the
 * upstream settings.
 */
class WardenDefaultsConfigSourceTest {

  private static ConfigSource registered() {
    List<ConfigSource> sources =
        ServiceLoader.load(ConfigSource.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(s -> s instanceof WardenDefaultsConfigSource)
            .toList();
    assertThat(sources).as("registered in META-INF/services").hasSize(1);
    return sources.get(0);
  }

  @Test
  void theShippedFileIsTheSourceOfDefaults() throws IOException {
    Properties shipped = new Properties();
    try (InputStream in = Files.newInputStream(Path.of("config", "warden.properties"))) {
      shipped.load(in);
    }
    Map<String, String> expected = new HashMap<>();
    shipped.stringPropertyNames().forEach(k -> expected.put(k, shipped.getProperty(k)));

    ConfigSource source = registered();
    assertThat(source.getProperties()).isEqualTo(expected);
    assertThat(source.getValue("warden.openai.models.o3.read-timeout")).isEqualTo("PT10M");
    assertThat(source.getOrdinal()).isLessThan(100).isGreaterThan(0);
  }

  @Test
  void perModelReadTimeoutsFromTheDefaultsApply() {
    ConfigSource source = registered();
    Settings settings =
        new Settings(k -> Optional.ofNullable(source.getValue(k)), source.getPropertyNames());
    OpenAiSettings openAi = OpenAiSettings.from(settings);

    assertThat(openAi.readTimeoutFor("o3")).isEqualTo(Duration.ofMinutes(10));
    assertThat(openAi.readTimeoutFor("gpt-5")).isEqualTo(Duration.ofMinutes(5));
    assertThat(openAi.readTimeoutFor("gpt-4o-mini")).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void gatewayOnlyKeysStayOutOfTheLibraryDefaults() {
    assertThat(registered().getPropertyNames()).noneMatch(k -> k.startsWith("mp.openapi."));
  }
}
