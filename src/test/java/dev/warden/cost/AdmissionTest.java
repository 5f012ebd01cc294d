package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.CallContext;
import dev.warden.call.Caller;
import dev.warden.call.EntryPoint;
import dev.warden.call.Outcome;
import dev.warden.call.refusal.RateLimitRefusal;
import dev.warden.config.Settings;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admission with real tables, counter and rate limiter, and a budget store that records what it is
 * asked to reserve and settle: the long-context tier in the estimate and in the settled cost, and
 * tokens per day, in-flight limits.
 */
class AdmissionTest {

  private final RateLimiterTest.MutableClock clock = new RateLimiterTest.MutableClock();
  private final List<BigDecimal> reserved = new ArrayList<>();
  private final List<BigDecimal> settled = new ArrayList<>();
  private final InFlightLimits inFlight = new InFlightLimits();

  {
    clock.now = Instant.parse("2026-12-01T10:00:00Z");
  }

  private Admission admission(Settings settings) {
    Admission a = new Admission();
    a.catalog = ModelCatalog.from(settings);
    a.counter = new TokenCounter(a.catalog);
    a.prices = PriceTable.from(settings);
    a.ratePolicy = RateLimitPolicy.from(settings);
    a.rateLimiter = new RateLimiter(clock);
    a.inFlight = inFlight;
    a.clock = clock;
    a.budgets =
        new Budgets() {
          {
            self = this;
          }

          @Override
          public List<Hold> reserve(
              Caller caller, BigDecimal amount, Instant now, String requestId) {
            reserved.add(amount);
            return List.of();
          }

          @Override
          public void settle(List<Hold> holds, BigDecimal actual) {
            settled.add(actual);
          }
        };
    return a;
  }

  private static ChatCompletionRequest ask(String model, String text, int maxOutput) {
    return ChatCompletionRequest.builder()
        .model(model)
        .messages(ChatMessage.user(text))
        .maxCompletionTokens(maxOutput)
        .build();
  }

  private CallContext call(Caller caller) {
    return new CallContext(caller, EntryPoint.CDI, "gpt-5.4", clock);
  }

  @Test
  void theShippedGpt54PricesAPromptAbove272kTokensAtTheLongContextTierForTheWholeCall() {
    Price p = PriceTable.from(CostSettings.shipped()).priceAt("gpt-5.4", clock.instant()).get();
    // at the threshold: list price, 2.50 in and 15.00 out per 1M
    assertThat(p.cost(new TokenUsage(272_000, 0, 1_000, 0), false))
        .isEqualByComparingTo("0.695"); // 272000 * 2.5 + 1000 * 15
    // one token above: every token at the tier, 5.00 in and 22.50 out
    assertThat(p.cost(new TokenUsage(272_001, 0, 1_000, 0), false))
        .isEqualByComparingTo("1.382505"); // 272001 * 5 + 1000 * 22.5
    // cached input doubles too; the batch discount still applies on top
    assertThat(p.cost(new TokenUsage(300_000, 100_000, 0, 0), true))
        .isEqualByComparingTo("0.525"); // (200000 * 5 + 100000 * 0.5) / 2
    // models without a tier never change price
    Price gpt5 = PriceTable.from(CostSettings.shipped()).priceAt("gpt-5", clock.instant()).get();
    assertThat(gpt5.longContext()).isNull();
  }

  @Test
  void theEstimateAndTheSettlementBothUseTheTierJustAboveTheThresholdAndNotAtIt() {
    ChatCompletionRequest request = ask("gpt-5.4", "Summarise the attached contract.", 100);
    int counted = new TokenCounter(ModelCatalog.from(CostSettings.shipped())).count(request);

    // the threshold right at the counted input: not above it, list price
    Admission atThreshold =
        admission(
            CostSettings.shipped(
                "warden.price.gpt-5.4.2026-03-05.long-context-threshold",
                Integer.toString(counted)));
    CallContext below = call(Caller.of("ana"));
    atThreshold.admit(request, below);
    Reservation r1 = below.reservation(Reservation.class);
    r1.settle("gpt-5.4", new TokenUsage(counted, 0, 100, 0), Outcome.SUCCEEDED, false);

    // one below the counted input: the counted input is above it, the whole call at the tier
    Admission aboveThreshold =
        admission(
            CostSettings.shipped(
                "warden.price.gpt-5.4.2026-03-05.long-context-threshold",
                Integer.toString(counted - 1)));
    CallContext above = call(Caller.of("ana"));
    aboveThreshold.admit(request, above);
    Reservation r2 = above.reservation(Reservation.class);
    r2.settle("gpt-5.4", new TokenUsage(counted, 0, 100, 0), Outcome.SUCCEEDED, false);

    BigDecimal listInput = new BigDecimal("2.50").multiply(BigDecimal.valueOf(counted));
    BigDecimal list = listInput.add(new BigDecimal("1500")).movePointLeft(6);
    BigDecimal tier =
        listInput.multiply(BigDecimal.valueOf(2)).add(new BigDecimal("2250")).movePointLeft(6);
    assertThat(reserved).hasSize(2);
    assertThat(reserved.get(0)).isEqualByComparingTo(list);
    assertThat(reserved.get(1)).isEqualByComparingTo(tier);
    assertThat(settled.get(0)).isEqualByComparingTo(list);
    assertThat(settled.get(1)).isEqualByComparingTo(tier);
  }

  @Test
  void aTierIsDataAndIsCheckedWhenTheTableIsBuilt() {
    Settings own =
        CostSettings.only(
            "warden.price.m.2026-01-01.input", "1",
            "warden.price.m.2026-01-01.output", "2",
            "warden.price.m.2026-01-01.long-context-threshold", "10",
            "warden.price.m.2026-01-01.long-context-input-multiplier", "3");
    Price m = PriceTable.from(own).priceAt("m", clock.instant()).get();
    assertThat(m.longContext().outputMultiplier()).isEqualByComparingTo("1");
    assertThat(m.cost(new TokenUsage(11, 0, 1, 0), false)).isEqualByComparingTo("0.000035");
    assertThatThrownBy(
            () ->
                PriceTable.from(
                    CostSettings.only(
                        "warden.price.m.2026-01-01.input", "1",
                        "warden.price.m.2026-01-01.output", "2",
                        "warden.price.m.2026-01-01.long-context-output-multiplier", "1.5")))
        .hasMessageContaining("long-context-threshold is missing");
    assertThatThrownBy(
            () ->
                PriceTable.from(
                    CostSettings.only(
                        "warden.price.m.2026-01-01.input", "1",
                        "warden.price.m.2026-01-01.output", "2",
                        "warden.price.m.2026-01-01.long-context-threshold", "10",
                        "warden.price.m.2026-01-01.long-context-input-multiplier", "0.5")))
        .hasMessageContaining("multipliers must be 1 or more");
  }

  @Test
  void tokensPerDayOfATenantRefuseWithRetryAfterUntilTheDayHasRoom() {
    Admission a =
        admission(
            CostSettings.shipped(
                "warden.rate.tenant.acme.tokens-per-day", "1000",
                "warden.rate.user.*.tokens-per-minute", "100000"));
    Caller ana = new Caller("ana", "acme", null);
    Caller bo = new Caller("bo", "acme", null);
    a.admit(ask("gpt-4o-mini", "Hello", 600), call(ana));
    clock.advance(Duration.ofHours(3));

    RateLimitRefusal refused =
        (RateLimitRefusal) catchRefusal(() -> a.admit(ask("gpt-4o-mini", "Hello", 600), call(bo)));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("rate_limit_exceeded");
    assertThat(refused.type()).isEqualTo("tokens");
    assertThat(refused.getMessage()).contains("tenant on tokens per day: limit 1000");
    // the first call's minute leaves the window a day after it ended: 21 h 1 min from now
    assertThat(refused.retryAfter()).contains(Duration.ofHours(21).plusMinutes(1));
    // another tenant is not affected
    a.admit(ask("gpt-4o-mini", "Hello", 600), call(new Caller("cy", "other", null)));
    clock.advance(Duration.ofHours(21).plusMinutes(1));
    a.admit(ask("gpt-4o-mini", "Hello", 600), call(bo));
  }

  @Test
  void tokensPerDayOfAnApiKeyComeFromConfiguration() {
    Admission a = admission(CostSettings.shipped("warden.rate.key.*.tokens-per-day", "700"));
    Caller keyed = new Caller("ana", "acme", "key1");
    a.admit(ask("gpt-4o-mini", "Hello", 600), call(keyed));
    RateLimitRefusal refused =
        (RateLimitRefusal)
            catchRefusal(() -> a.admit(ask("gpt-4o-mini", "Hello", 600), call(keyed)));
    assertThat(refused.getMessage()).contains("API key on tokens per day: limit 700");
  }

  /** Reports {@code call} finished, as the pipeline does once per call. */
  private void finish(CallContext call, Outcome outcome) {
    call.finished(
        "chat.completions",
        false,
        null,
        clock.instant(),
        null,
        TokenUsage.NONE,
        outcome,
        null,
        null,
        null);
  }

  @Test
  void aTenantsInFlightLimitRefusesTheCallPastItUntilOneFinishes() {
    Admission a = admission(CostSettings.shipped("warden.rate.tenant.acme.in-flight", "2"));
    CallContext first = call(new Caller("ana", "acme", null));
    CallContext second = call(new Caller("bo", "acme", null));
    a.admit(ask("gpt-4o-mini", "Hello", 10), first);
    a.admit(ask("gpt-4o-mini", "Hello", 10), second);

    RateLimitRefusal refused =
        (RateLimitRefusal)
            catchRefusal(
                () ->
                    a.admit(ask("gpt-4o-mini", "Hello", 10), call(new Caller("cy", "acme", null))));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("rate_limit_exceeded");
    assertThat(refused.type()).isEqualTo("requests");
    assertThat(refused.getMessage()).contains("in flight for this tenant: limit 2 at once");
    assertThat(refused.retryAfter()).contains(Duration.ofSeconds(1));
    assertThat(inFlight.inFlight("tenant|acme")).isEqualTo(2);
    // another tenant has no limit and is not counted
    a.admit(ask("gpt-4o-mini", "Hello", 10), call(new Caller("dee", "globex", null)));
    assertThat(inFlight.inFlight("tenant|globex")).isZero();

    // a finished call gives its place back, once however often it is reported
    finish(first, Outcome.SUCCEEDED);
    finish(first, Outcome.SUCCEEDED);
    assertThat(inFlight.inFlight("tenant|acme")).isEqualTo(1);
    CallContext third = call(new Caller("cy", "acme", null));
    a.admit(ask("gpt-4o-mini", "Hello", 10), third);
    finish(second, Outcome.FAILED);
    finish(third, Outcome.SUCCEEDED);
    assertThat(inFlight.inFlight("tenant|acme")).isZero();
  }

  @Test
  void aPlaceTakenBeforeALaterRefusalIsGivenBackWhenTheRefusedCallFinishes() {
    Admission a =
        admission(
            CostSettings.shipped(
                "warden.rate.user.*.in-flight", "5",
                "warden.rate.tenant.acme.in-flight", "1",
                "warden.rate.user.*.requests-per-minute", "2"));
    CallContext running = call(new Caller("ana", "acme", null));
    a.admit(ask("gpt-4o-mini", "Hello", 10), running);

    // ana's place is taken, then her tenant's limit refuses
    CallContext refusedByTenant = call(new Caller("ana", "acme", null));
    catchRefusal(() -> a.admit(ask("gpt-4o-mini", "Hello", 10), refusedByTenant));
    assertThat(inFlight.inFlight("user|ana")).isEqualTo(2);
    finish(refusedByTenant, Outcome.FAILED);
    assertThat(inFlight.inFlight("user|ana")).isEqualTo(1);

    // bo's places are taken, then his requests per minute refuse
    a.admit(ask("gpt-4o-mini", "Hello", 10), call(new Caller("bo", "other", null)));
    a.admit(ask("gpt-4o-mini", "Hello", 10), call(new Caller("bo", "other", null)));
    CallContext overRate = call(new Caller("bo", "other", null));
    RateLimitRefusal perMinute =
        (RateLimitRefusal) catchRefusal(() -> a.admit(ask("gpt-4o-mini", "Hello", 10), overRate));
    assertThat(perMinute.getMessage()).contains("per minute");
    assertThat(inFlight.inFlight("user|bo")).isEqualTo(3);
    finish(overRate, Outcome.FAILED);
    assertThat(inFlight.inFlight("user|bo")).isEqualTo(2);
  }

  @Test
  void aDeferredCallTakesNoPlaceItWaitsInABatch() {
    Admission a = admission(CostSettings.shipped("warden.rate.tenant.acme.in-flight", "1"));
    a.admitBatched(ask("gpt-4o-mini", "Hello", 10), call(new Caller("ana", "acme", null)));
    a.admitBatched(ask("gpt-4o-mini", "Hello", 10), call(new Caller("ana", "acme", null)));

    assertThat(inFlight.inFlight("tenant|acme")).isZero();
    a.admit(ask("gpt-4o-mini", "Hello", 10), call(new Caller("ana", "acme", null)));
    assertThat(inFlight.inFlight("tenant|acme")).isEqualTo(1);
  }

  private static Throwable catchRefusal(Runnable r) {
    try {
      r.run();
    } catch (RateLimitRefusal e) {
      return e;
    }
    throw new AssertionError("not refused");
  }
}
