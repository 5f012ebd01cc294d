package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

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

  private final MutableClock clock = new MutableClock();
  private final RateLimiter limiter = new RateLimiter(clock);

  @Test
  void requestsPerMinuteSlideWithTheWindow() {
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isEmpty();
    clock.advance(Duration.ofSeconds(20));
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    RateLimiter.Refusal refusal = limiter.tryAcquire("u", 2, 0, 10).orElseThrow();
    assertThat(refusal.kind()).isEqualTo("requests");
    // the first request leaves the window 60 s after it came, 30 s from now
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30));
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isEmpty();
    assertThat(limiter.tryAcquire("other", 2, 0, 10)).isEmpty();
  }

  @Test
  void tokensPerMinuteSayWhenEnoughTokensAreFree() {
    assertThat(limiter.tryAcquire("u", 0, 100, 60)).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire("u", 0, 100, 30)).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    RateLimiter.Refusal refusal = limiter.tryAcquire("u", 0, 100, 50).orElseThrow();
    assertThat(refusal.kind()).isEqualTo("tokens");
    // 140 > 100: the first 60 must leave, at 60 s after t0, i.e. 45 s from now
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(45));
    // a refused request takes nothing from the window
    assertThat(limiter.tryAcquire("u", 0, 100, 10)).isEmpty();
  }

  @Test
  void aRequestLargerThanTheLimitWaitsAWholeWindow() {
    RateLimiter.Refusal refusal = limiter.tryAcquire("u", 0, 100, 500).orElseThrow();
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void noLimitsAdmitEverything() {
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.tryAcquire("u", 0, 0, 1_000_000)).isEmpty();
    }
  }

  @Test
  void keysWhoseWindowsHaveEmptiedAreForgotten() {
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.tryAcquire("caller-" + i, 5, 0, 10)).isEmpty();
    }
    assertThat(limiter.tryAcquire("daily", 0, 0, 1_000, 10)).isEmpty();
    assertThat(limiter.keys()).isEqualTo(101);

    // a minute later the per-minute windows are empty; the daily one still counts
    clock.advance(Duration.ofSeconds(61));
    assertThat(limiter.tryAcquire("caller-0", 5, 0, 10)).isEmpty();
    assertThat(limiter.keys()).isEqualTo(2);

    // a day later the daily bucket is freed too, and the next sweep forgets it
    clock.advance(Duration.ofDays(1).plusMinutes(2));
    assertThat(limiter.tryAcquire("caller-0", 5, 0, 10)).isEmpty();
    assertThat(limiter.keys()).isEqualTo(1);
  }

  @Test
  void aSweptKeyStillCountsItsRequestsAndAForgottenOneStartsAFreshWindow() {
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isEmpty();

    // the sweep a minute on keeps u: its second request is still in its window
    clock.advance(Duration.ofSeconds(31));
    assertThat(limiter.tryAcquire("v", 2, 0, 10)).isEmpty();
    assertThat(limiter.keys()).isEqualTo(2);
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isEmpty();
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isPresent();

    // the next sweep forgets u; its new window limits as the old one did
    clock.advance(Duration.ofSeconds(61));
    assertThat(limiter.tryAcquire("v", 2, 0, 10)).isEmpty();
    assertThat(limiter.keys()).isEqualTo(1);
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isEmpty();
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isEmpty();
    assertThat(limiter.tryAcquire("u", 2, 0, 10)).isPresent();
  }
}
