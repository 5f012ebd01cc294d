package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.call.Outcome;
import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReservationTest {

  private final PriceTable prices = PriceTable.from(CostSettings.shipped());
  private final List<BigDecimal> settlements = new ArrayList<>();
  private final Instant at = Instant.parse("2026-01-01T00:00:00Z");

  private Reservation reservation(String model, int input) {
    return new Reservation(
        model,
        input,
        new BigDecimal("0.01"),
        List.of(),
        at,
        (m, fallback, usage, when) ->
            prices
                .priceAt(m, when)
                .or(() -> prices.priceAt(fallback, when))
                .orElseThrow()
                .cost(usage, false),
        (holds, actual) -> settlements.add(actual),
        holds -> {});
  }

  @Test
  void aDetachedReservationIsNotSettledByItsCallAndRoundTripsAsData() {
    Budgets.Hold hold =
        new Budgets.Hold(
            "user|alice|daily|2026-01-01",
            new BudgetPolicy.Limit("user", "alice", "daily", new BigDecimal("2.5")),
            new BigDecimal("0.010000000001"));
    Reservation r =
        new Reservation(
            "gpt-4o",
            100,
            hold.amount(),
            List.of(hold),
            at,
            (m, f, u, w) -> BigDecimal.ONE,
            (holds, actual) -> settlements.add(actual),
            holds -> {});
    Reservation.Held held = r.detach().orElseThrow();
    assertThat(r.detach()).isEmpty();
    assertThat(r.settle("gpt-4o", new TokenUsage(1, 0, 1, 0), Outcome.SUCCEEDED, false)).isNull();
    assertThat(settlements).isEmpty(); // the call settles nothing: the holder will
    assertThat(Reservation.Held.holdsFromJson(held.holdsJson())).containsExactly(hold);
    assertThat(held.model()).isEqualTo("gpt-4o");
    assertThat(held.inputTokens()).isEqualTo(100);
    assertThat(held.at()).isEqualTo(at);
  }

  @Test
  void settlesExactlyOnce() {
    Reservation r = reservation("gpt-4o", 100);
    BigDecimal first =
        r.settle("gpt-4o", new TokenUsage(1000, 0, 100, 0), Outcome.SUCCEEDED, false);
    BigDecimal again = r.settle("gpt-4o", new TokenUsage(9999, 0, 9999, 0), Outcome.FAILED, false);
    assertThat(first).isEqualByComparingTo("0.0035"); // 1000*2.5 + 100*10 per 1M
    assertThat(again).isSameAs(first);
    assertThat(settlements).hasSize(1);
    assertThat(r.isSettled()).isTrue();
  }

  @Test
  void aFailureWithoutUsageReleasesEverything() {
    Reservation r = reservation("gpt-4o", 100);
    assertThat(r.settle(null, TokenUsage.NONE, Outcome.FAILED, false)).isEqualByComparingTo("0");
    assertThat(settlements).containsExactly(r.settle(null, null, Outcome.FAILED, false));
  }

  @Test
  void aStreamCutAfterItsFirstEventIsChargedItsCountedInput() {
    Reservation r = reservation("gpt-4o", 1000);
    assertThat(r.settle("gpt-4o", TokenUsage.NONE, Outcome.CANCELLED, true))
        .isEqualByComparingTo("0.0025");
  }

  @Test
  void theAnsweringFallbackModelIsPriced() {
    Reservation r = reservation("gpt-4o", 100);
    assertThat(r.settle("gpt-4o-mini", new TokenUsage(1000, 0, 0, 0), Outcome.SUCCEEDED, false))
        .isEqualByComparingTo("0.00015");
    Reservation d = reservation("gpt-4o", 100);
    // the deterministic fallback has no price and no usage
    assertThat(d.settle("warden-fallback", TokenUsage.NONE, Outcome.SUCCEEDED, false))
        .isEqualByComparingTo("0");
  }
}
