package dev.warden.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.call.KeyScope;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void theIdIsReadFromAWellFormedKeyOnly() {
    assertThat(ApiKeys.idOf("wk_abcdefghijkm_secret_with_underscores")).isEqualTo("abcdefghijkm");
    assertThat(ApiKeys.idOf("wk_devuserkey01_devsecret-devsecret-devsecret-01"))
        .isEqualTo(ApiKeys.DEV_KEY_ID);
    assertThat(ApiKeys.idOf("wk_short_secret")).isNull();
    assertThat(ApiKeys.idOf("sk-proj-abcdefghijklmnop")).isNull();
    assertThat(ApiKeys.idOf("wk_abcdefghijkm")).isNull();
    assertThat(ApiKeys.idOf(null)).isNull();
  }

  @Test
  void onlyAHashOfTheSecretIsKept() {
    String hash = ApiKeys.hash("the-secret");
    assertThat(hash).hasSize(64).doesNotContain("the-secret").isEqualTo(ApiKeys.hash("the-secret"));
    assertThat(ApiKeys.hash("the-secreT")).isNotEqualTo(hash);
  }

  @Test
  void aScopeWithoutModelsAllowsEveryModel() {
    assertThat(KeyScope.NONE.allows("gpt-4o")).isTrue();
    KeyScope scoped = new KeyScope(Set.of("gpt-4o-mini"), null, null, null, null);
    assertThat(scoped.allows("gpt-4o-mini")).isTrue();
    assertThat(scoped.allows("gpt-4o")).isFalse();
    // operations without a model (retrieving a stored response) are not model-scoped
    assertThat(scoped.allows(null)).isTrue();
  }
}
