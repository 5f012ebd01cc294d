package dev.warden.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.error.RateLimitException;
import dev.warden.openai.error.ServerErrorException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), 0.25, Duration.ofSeconds(20));

  private static OpenAiException rateLimited(Duration retryAfter) {
    return new RateLimitException(
        new ErrorInfo(429, "slow down", null, null, null, null, retryAfter), null);
  }

  private static final OpenAiException SERVER =
      new ServerErrorException(ErrorInfo.of(500, "boom"), null);

  @Test
  void exponentialWithoutJitterDoublesUpToTheMaximum() {
    assertThat(backoff.delayBefore(1, SERVER, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.delayBefore(2, SERVER, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delayBefore(3, SERVER, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delayBefore(5, SERVER, () -> 0.0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.delayBefore(60, SERVER, () -> 0.0)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void jitterOnlyShortensTheExponentialDelayByUpToItsShare() {
    assertThat(backoff.delayBefore(2, SERVER, () -> 0.999))
        .isBetween(Duration.ofMillis(750), Duration.ofSeconds(1));
    assertThat(backoff.delayBefore(2, SERVER, () -> 0.5)).isEqualTo(Duration.ofMillis(875));
  }

  @Test
  void retryAfterIsHonouredNeverShortened() {
    Duration d0 = backoff.delayBefore(1, rateLimited(Duration.ofSeconds(2)), () -> 0.0);
    Duration d1 = backoff.delayBefore(1, rateLimited(Duration.ofSeconds(2)), () -> 0.999);
    assertThat(d0).isEqualTo(Duration.ofSeconds(2));
    assertThat(d1).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2050));
  }

  @Test
  void theDefaultsAreOneSecondToSixtySecondsWithFullJitter() {
    Backoff defaults =
        Backoff.from(
            new dev.warden.config.Settings(k -> java.util.Optional.empty(), java.util.Set.of()));
    assertThat(defaults.initial()).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.max()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.jitter()).isEqualTo(1.0);
    assertThat(defaults.delayBefore(1, SERVER, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.delayBefore(3, SERVER, () -> 0.0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(defaults.delayBefore(7, SERVER, () -> 0.0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.delayBefore(9, SERVER, () -> 0.0)).isEqualTo(Duration.ofSeconds(60));
    // full jitter: anywhere between 0 and the step
    assertThat(defaults.delayBefore(3, SERVER, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.delayBefore(3, SERVER, () -> 0.999)).isLessThan(Duration.ofMillis(5));
  }

  @Test
  void retryAfterIsCapped() {
    assertThat(backoff.delayBefore(1, rateLimited(Duration.ofMinutes(5)), () -> 0.5))
        .isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void a429WithoutRetryAfterBacksOffExponentially() {
    assertThat(backoff.delayBefore(3, rateLimited(null), () -> 0.0))
        .isEqualTo(Duration.ofSeconds(2));
  }
}
