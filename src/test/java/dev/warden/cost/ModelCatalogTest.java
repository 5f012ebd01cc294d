package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelCatalogTest {

  @Test
  void readsWindowsAndOutputsOfDottedNamesAndSnapshots() {
    ModelCatalog catalog = ModelCatalog.from(CostSettings.shipped());
    assertThat(catalog.limits("gpt-4.1-mini-2025-04-14").contextWindow()).isEqualTo(1047576);
    assertThat(catalog.limits("gpt-4o-2024-08-06").maxOutput()).isEqualTo(16384);
    assertThat(catalog.limits("gpt-4").contextWindow()).isEqualTo(8192);
    assertThat(catalog.limits("gpt-4-turbo").contextWindow()).isEqualTo(128000);
  }

  @Test
  void unknownModelsHaveNoWindowAndTheDefaultOutput() {
    ModelCatalog catalog =
        ModelCatalog.from(CostSettings.shipped("warden.model.default.max-output", "123"));
    ModelLimits unknown = catalog.limits("slow-model");
    assertThat(unknown.contextWindow()).isNull();
    assertThat(unknown.maxOutput()).isEqualTo(123);
  }

  @Test
  void anUnknownEncodingFailsNamingTheKey() {
    assertThatThrownBy(
            () -> ModelCatalog.from(CostSettings.only("warden.model.x.encoding", "p99k")))
        .hasMessageContaining("warden.model.x.encoding");
  }
}
