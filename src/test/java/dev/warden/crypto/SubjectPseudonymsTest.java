package dev.warden.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubjectPseudonymsTest {

  @Test
  void pseudonymsAreKeyedDeterministicAndPerTenant() {
    SubjectPseudonyms a = SubjectPseudonyms.of(Keysets.generatePseudonymKey());
    String p = a.pseudonym("default", "jane@example.com");
    assertThat(p).hasSize(64).matches("[0-9a-f]{64}").doesNotContain("jane");
    assertThat(a.pseudonym("default", "jane@example.com")).isEqualTo(p);
    assertThat(a.pseudonym("other", "jane@example.com")).isNotEqualTo(p);

    // without the key, the unkeyed hash a reader of the table could compute does not match,
    // and another key gives another pseudonym
    assertThat(SubjectPseudonyms.legacyPseudonym("default", "jane@example.com"))
        .hasSize(64)
        .isNotEqualTo(p);
    SubjectPseudonyms b = SubjectPseudonyms.of(Keysets.generatePseudonymKey());
    assertThat(b.pseudonym("default", "jane@example.com")).isNotEqualTo(p);
  }

  @Test
  void theKeysetComesFromConfigurationAndMustBeARawHmac() {
    String json = Keysets.toJson(Keysets.generatePseudonymKey());
    SubjectPseudonyms s =
        SubjectPseudonyms.fromSettings(
            new Settings(
                k -> Optional.ofNullable(Map.of(SubjectPseudonyms.KEYSET, json).get(k)),
                Map.of(SubjectPseudonyms.KEYSET, json).keySet()));
    assertThat(s.pseudonym("t", "x")).hasSize(64);

    assertThatThrownBy(() -> SubjectPseudonyms.of(Keysets.generateMac()))
        .hasMessageContaining("raw HMAC-SHA256");
    assertThatThrownBy(
            () ->
                SubjectPseudonyms.fromSettings(
                    new Settings(k -> Optional.empty(), java.util.List.<String>of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SubjectPseudonyms.KEYSET_FILE);
  }
}
