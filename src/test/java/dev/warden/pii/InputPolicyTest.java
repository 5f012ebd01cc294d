package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.refusal.UninspectableContentRefusal;
import dev.warden.config.Settings;
import dev.warden.openai.model.ModelTexts.Media;
import dev.warden.openai.model.ModelTexts.Opaque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputPolicyTest {

  private static final Opaque IMAGE = new Opaque(Media.IMAGE, "image_url", 1);
  private static final Opaque AUDIO = new Opaque(Media.AUDIO, "input_audio", 1);
  private static final Opaque FILE = new Opaque(Media.FILE, "file", 2);

  private static InputPolicy policy(Map<String, String> values, boolean redacting) {
    return InputPolicy.from(
        new Settings(k -> Optional.ofNullable(values.get(k)), values.keySet()), redacting);
  }

  @Test
  void byDefaultEveryKindIsRefusedNamingTypesAndCountsNeverContent() {
    InputPolicy policy = policy(Map.of(), true);
    for (Media media : Media.values()) {
      assertThat(policy.allows("default", media)).isFalse();
    }
    assertThatThrownBy(() -> policy.check("default", List.of(IMAGE, IMAGE, FILE), "messages"))
        .isInstanceOfSatisfying(
            UninspectableContentRefusal.class,
            e -> {
              assertThat(e.refused()).isEqualTo(Map.of("image_url", 2, "file", 1));
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("uninspectable_content");
              assertThat(e.type()).isEqualTo("invalid_request_error");
              assertThat(e.param()).isEqualTo("messages");
              assertThat(e.getMessage())
                  .contains("cannot inspect for personal data")
                  .contains("1 file part, 2 image_url parts")
                  .contains("nothing was sent upstream");
            });
    assertThat(policy.check("default", List.of(), "messages")).isEmpty();
    assertThat(InputPolicy.refuseAll().allows("any", Media.IMAGE)).isFalse();
  }

  @Test
  void eachKindIsAllowedForItsListedTenantsOnly() {
    InputPolicy policy =
        policy(
            Map.of(
                InputPolicy.IMAGES, "vision, radiology",
                InputPolicy.FILES, "docs",
                InputPolicy.AUDIO, "*"),
            true);
    assertThat(policy.allows("vision", Media.IMAGE)).isTrue();
    assertThat(policy.allows("radiology", Media.IMAGE)).isTrue();
    assertThat(policy.allows("vision", Media.FILE)).isFalse();
    assertThat(policy.allows("docs", Media.FILE)).isTrue();
    assertThat(policy.allows("docs", Media.IMAGE)).isFalse();
    assertThat(policy.allows("anyone", Media.AUDIO)).isTrue();
    assertThat(policy.allows(null, Media.IMAGE)).isFalse();

    assertThat(policy.check("vision", List.of(IMAGE, AUDIO, IMAGE), "input"))
        .isEqualTo(Map.of("image_url", 2, "input_audio", 1));
    // one refused kind refuses the request, and names only what was refused
    assertThatThrownBy(() -> policy.check("vision", List.of(IMAGE, FILE), "input"))
        .isInstanceOfSatisfying(
            UninspectableContentRefusal.class,
            e -> assertThat(e.refused()).isEqualTo(Map.of("file", 1)));
  }

  @Test
  void withRedactionOffNothingIsRefusedButWhatPassedIsStillCounted() {
    InputPolicy policy = policy(Map.of(), false);
    assertThat(policy.check("default", List.of(IMAGE, FILE), "messages"))
        .isEqualTo(Map.of("image_url", 1, "file", 1));
  }
}
