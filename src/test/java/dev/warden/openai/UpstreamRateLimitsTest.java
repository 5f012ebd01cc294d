package dev.warden.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.Settings;
import dev.warden.openai.credential.UpstreamCredential;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpstreamRateLimitsTest {

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovingClock clock = new MovingClock();
  private String key = "sk-first";
  private final UpstreamRateLimits limits =
      new UpstreamRateLimits(
          OpenAiSettings.from(new Settings(k -> Optional.empty(), Set.of())),
          () -> UpstreamCredential.bearer(key),
          clock,
          true,
          0.01,
          Duration.ofSeconds(5));

  private static java.util.function.Function<String, String> headers(String... kv) {
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put(kv[i], kv[i + 1]);
    }
    return map::get;
  }

  @Test
  void readsOpenAisDurationFormat() {
    assertThat(UpstreamRateLimits.parseDuration("6m0s")).isEqualTo(Duration.ofMinutes(6));
    assertThat(UpstreamRateLimits.parseDuration("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(UpstreamRateLimits.parseDuration("20ms")).isEqualTo(Duration.ofMillis(20));
    assertThat(UpstreamRateLimits.parseDuration("1h2m3.5s"))
        .isEqualTo(Duration.ofHours(1).plusMinutes(2).plusMillis(3500));
    assertThat(UpstreamRateLimits.parseDuration("0.25s")).isEqualTo(Duration.ofMillis(250));
    assertThat(UpstreamRateLimits.parseDuration("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(UpstreamRateLimits.parseDuration("150us")).isEqualTo(Duration.ofNanos(150_000));
    assertThat(UpstreamRateLimits.parseDuration("soon")).isNull();
    assertThat(UpstreamRateLimits.parseDuration("5s later")).isNull();
    assertThat(UpstreamRateLimits.parseDuration(null)).isNull();
  }

  @Test
  void plentyRemainingMeansGo() {
    limits.observe(
        "gpt-4o",
        headers(
            "x-ratelimit-limit-requests", "10000",
            "x-ratelimit-remaining-requests", "9999",
            "x-ratelimit-reset-requests", "6ms",
            "x-ratelimit-limit-tokens", "30000000",
            "x-ratelimit-remaining-tokens", "29999000",
            "x-ratelimit-reset-tokens", "2ms"));
    assertThat(limits.pacing("gpt-4o").go()).isTrue();
  }

  @Test
  void aNearlySpentLimitWaitsForItsResetThenGoes() {
    limits.observe(
        "gpt-4o",
        headers(
            "x-ratelimit-limit-requests", "500",
            "x-ratelimit-remaining-requests", "5", // 1 % of 500: at the threshold
            "x-ratelimit-reset-requests", "1.5s",
            "x-ratelimit-limit-tokens", "30000",
            "x-ratelimit-remaining-tokens", "20000",
            "x-ratelimit-reset-tokens", "4s"));
    UpstreamRateLimits.Pacing p = limits.pacing("gpt-4o");
    assertThat(p.delay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(p.kind()).isEqualTo("requests");
    assertThat(p.refuse()).isFalse();
    // per model and per credential
    assertThat(limits.pacing("gpt-4o-mini").go()).isTrue();
    key = "sk-second";
    assertThat(limits.pacing("gpt-4o").go()).isTrue();
    key = "sk-first";
    clock.now = clock.now.plusMillis(1000);
    assertThat(limits.pacing("gpt-4o").delay()).isEqualTo(Duration.ofMillis(500));
    clock.now = clock.now.plusMillis(500);
    assertThat(limits.pacing("gpt-4o").go()).isTrue();
  }

  @Test
  void theLongerOfTheTwoResetsCountsAndBeyondTheMaximumTheCallIsRefused() {
    limits.observe(
        "gpt-4o",
        headers(
            "x-ratelimit-remaining-requests", "0",
            "x-ratelimit-reset-requests", "2s",
            "x-ratelimit-limit-tokens", "30000",
            "x-ratelimit-remaining-tokens", "100",
            "x-ratelimit-reset-tokens", "6m0s"));
    UpstreamRateLimits.Pacing p = limits.pacing("gpt-4o");
    assertThat(p.delay()).isEqualTo(Duration.ofMinutes(6));
    assertThat(p.kind()).isEqualTo("tokens");
    assertThat(p.refuse()).isTrue();
    // a later answer with room replaces what the earlier one said
    limits.observe(
        "gpt-4o",
        headers("x-ratelimit-remaining-requests", "40", "x-ratelimit-reset-requests", "2s"));
    assertThat(limits.pacing("gpt-4o").go()).isTrue();
  }

  @Test
  void withoutALimitHeaderOnlyZeroRemainingPacesAndOffMeansNever() {
    limits.observe(
        "gpt-4o",
        headers("x-ratelimit-remaining-requests", "1", "x-ratelimit-reset-requests", "2s"));
    assertThat(limits.pacing("gpt-4o").go()).isTrue();
    UpstreamRateLimits off =
        new UpstreamRateLimits(
            OpenAiSettings.from(new Settings(k -> Optional.empty(), Set.of())),
            () -> UpstreamCredential.bearer(key),
            clock,
            false,
            0.01,
            Duration.ofSeconds(5));
    off.observe(
        "gpt-4o",
        headers("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "2s"));
    assertThat(off.pacing("gpt-4o").go()).isTrue();
  }
}
