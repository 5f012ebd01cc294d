package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.openai.OpenAiSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

  static Settings of(Map<String, String> values) {
    return new Settings(k -> Optional.ofNullable(values.get(k)), values.keySet());
  }

  @Test
  void durationsInIsoAndShortForms() {
    assertThat(Durations.parse("k", "PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("k", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("k", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("k", "0.5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("k", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("k", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("k", "1200")).isEqualTo(Duration.ofMillis(1200));
    assertThatThrownBy(() -> Durations.parse("warden.x", "soon")).hasMessageContaining("warden.x");
    assertThatThrownBy(() -> Durations.parse("warden.x", "-5s")).hasMessageContaining("negative");
  }

  @Test
  void openAiDefaults() {
    OpenAiSettings s = OpenAiSettings.from(of(Map.of()));
    assertThat(s.baseUrl()).hasToString("https://api.openai.com/v1");
    assertThat(s.authHeader()).isEqualTo("Authorization");
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.maxConnections()).isEqualTo(1000);
    assertThat(s.organization()).isNull();
  }

  @Test
  void perModelReadTimeoutsIncludingModelNamesWithDots() {
    OpenAiSettings s =
        OpenAiSettings.from(
            of(
                Map.of(
                    "warden.openai.base-url", "http://localhost:9089/v1/",
                    "warden.openai.read-timeout", "20s",
                    "warden.openai.models.o3.read-timeout", "PT10M",
                    "warden.openai.models.gpt-4.1.read-timeout", "45s",
                    "OPENAI_ORG_ID", "org-1")));
    assertThat(s.baseUrl()).hasToString("http://localhost:9089/v1");
    assertThat(s.readTimeoutFor("o3")).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.readTimeoutFor("gpt-4.1")).isEqualTo(Duration.ofSeconds(45));
    assertThat(s.readTimeoutFor("gpt-4o")).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.readTimeoutFor(null)).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.organization()).isEqualTo("org-1");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> OpenAiSettings.from(of(Map.of("warden.openai.base-url", "ftp://x"))))
        .hasMessageContaining("warden.openai.base-url");
    assertThatThrownBy(() -> OpenAiSettings.from(of(Map.of("warden.openai.max-connections", "0"))))
        .hasMessageContaining("warden.openai.max-connections");
    assertThatThrownBy(
            () -> OpenAiSettings.from(of(Map.of("warden.openai.max-connections", "many"))))
        .hasMessageContaining("warden.openai.max-connections");
  }

  @Test
  void listsAndBlankValues() {
    Settings s = of(Map.of("a", " x, y ,,z ", "b", "  "));
    assertThat(s.list("a")).containsExactly("x", "y", "z");
    assertThat(s.list("b")).isEmpty();
    assertThat(s.string("b")).isEmpty();
  }
}
