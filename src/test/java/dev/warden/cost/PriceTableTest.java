package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  private final PriceTable table = PriceTable.from(CostSettings.shipped());

  private static Instant at(String day) {
    return Instant.parse(day + "T12:00:00Z");
  }

  @Test
  void picksThePriceInEffectAtTheCallTime() {
    assertThat(table.priceAt("gpt-4o", at("2024-06-01")).orElseThrow().input())
        .isEqualByComparingTo("5.00");
    assertThat(table.priceAt("gpt-4o", at("2024-10-01")).orElseThrow().input())
        .isEqualByComparingTo("2.50");
    assertThat(table.priceAt("gpt-4o", at("2026-01-01")).orElseThrow().output())
        .isEqualByComparingTo("10.00");
    assertThat(table.priceAt("gpt-4o", at("2024-01-01"))).isEmpty();
  }

  @Test
  void aSnapshotUsesItsLongestConfiguredName() {
    assertThat(table.priceAt("gpt-4o-mini-2024-07-18", at("2025-01-01")).orElseThrow().model())
        .isEqualTo("gpt-4o-mini");
    assertThat(table.priceAt("gpt-4o-2024-08-06", at("2025-01-01")).orElseThrow().model())
        .isEqualTo("gpt-4o");
    assertThat(table.priceAt("gpt-4.1-mini", at("2025-05-01")).orElseThrow().model())
        .isEqualTo("gpt-4.1-mini");
    assertThat(table.priceAt("gpt-4o-minimal", at("2025-05-01")).orElseThrow().model())
        .isEqualTo("gpt-4o");
    assertThat(table.priceAt("mystery-model", at("2025-05-01"))).isEmpty();
  }

  @Test
  void cachedTokensAtTheCachedPriceAndReasoningAsOutput() {
    Price gpt4o = table.priceAt("gpt-4o", at("2025-01-01")).orElseThrow();
    // 1000 input of which 400 cached, 500 output of which 300 reasoning:
    // 600 * 2.50 + 400 * 1.25 + 500 * 10.00 = 1500 + 500 + 5000 = 7000 per 1M -> 0.007
    BigDecimal cost = gpt4o.cost(new TokenUsage(1000, 400, 500, 300), false);
    assertThat(cost).isEqualByComparingTo("0.007");
    assertThat(cost.scale()).isEqualTo(Price.SCALE);
    // batch: half price
    assertThat(gpt4o.cost(new TokenUsage(1000, 400, 500, 300), true))
        .isEqualByComparingTo("0.0035");
  }

  @Test
  void tinyCallsKeepTheirFractionsOfACent() {
    Price mini = table.priceAt("gpt-4o-mini", at("2025-01-01")).orElseThrow();
    assertThat(mini.cost(new TokenUsage(7, 0, 3, 0), false))
        .isEqualByComparingTo("0.00000285"); // 7*0.15 + 3*0.60 = 2.85 per 1M
  }

  @Test
  void cachedPriceDefaultsToTheInputPrice() {
    Price turbo = table.priceAt("gpt-4-turbo", at("2025-01-01")).orElseThrow();
    assertThat(turbo.cachedInput()).isEqualByComparingTo(turbo.input());
  }

  @Test
  void badEntriesNameTheirKey() {
    assertThatThrownBy(
            () -> PriceTable.from(CostSettings.only("warden.price.m.2025-13-01.input", "1")))
        .hasMessageContaining("warden.price.m.2025-13-01.input");
    assertThatThrownBy(
            () -> PriceTable.from(CostSettings.only("warden.price.m.2025-01-01.input", "1")))
        .hasMessageContaining("warden.price.m.2025-01-01.output is missing");
    assertThatThrownBy(
            () ->
                PriceTable.from(
                    CostSettings.only(
                        "warden.price.m.2025-01-01.input", "-1",
                        "warden.price.m.2025-01-01.output", "1")))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void everyShippedModelHasLimitsAndAPrice() {
    ModelCatalog catalog = ModelCatalog.from(CostSettings.shipped());
    for (Price p : table.all()) {
      assertThat(catalog.limits(p.model()).contextWindow()).as(p.model()).isNotNull();
    }
    assertThat(table.all())
        .extracting(Price::model)
        .contains("gpt-5", "gpt-4.1", "o3", "gpt-4o-mini");
  }
}
