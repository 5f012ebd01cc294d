package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BucketRateLimiter} over Bucket4j's local buckets and a clock the test moves (the shared
 * store, PostgreSQL, is exercised by the two-server integration test).
 */
class BucketRateLimiterTest {

  private long nanos;
  private final Map<String, Bucket> store = new HashMap<>();
  private final BucketRateLimiter limiter =
      new BucketRateLimiter(
          (name, configuration) -> store.computeIfAbsent(name, n -> local(configuration)));

  private Bucket local(BucketConfiguration configuration) {
    LocalBucketBuilder b = Bucket.builder();
    for (Bandwidth bandwidth : configuration.getBandwidths()) {
      b.addLimit(bandwidth);
    }
    return b.withCustomTimePrecision(
            new TimeMeter() {
              @Override
              public long currentTimeNanos() {
                return nanos;
              }

              @Override
              public boolean isWallClockBased() {
                return false;
              }
            })
        .build();
  }

  private void advance(Duration d) {
    nanos += d.toNanos();
  }

  @Test
  void exactlyTheRequestsPerMinuteAreAdmittedUntilTheMinuteIsOver() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("key|k1", 3, 0, 10)).isEmpty();
    }
    advance(Duration.ofSeconds(20));
    RateLimits.Refusal refusal = limiter.tryAcquire("key|k1", 3, 0, 10).orElseThrow();
    assertThat(refusal.kind()).isEqualTo("requests");
    assertThat(refusal.per()).isEqualTo("minute");
    assertThat(refusal.limit()).isEqualTo(3);
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(40));

    advance(Duration.ofSeconds(40));
    assertThat(limiter.tryAcquire("key|k1", 3, 0, 10)).isEmpty();
    // other keys have buckets of their own
    assertThat(limiter.tryAcquire("key|k2", 3, 0, 10)).isEmpty();
  }

  @Test
  void aCallRefusedByALaterLimitIsCountedByNone() {
    assertThat(limiter.tryAcquire("user|u", 2, 100, 80)).isEmpty();
    RateLimits.Refusal refusal = limiter.tryAcquire("user|u", 2, 100, 30).orElseThrow();
    assertThat(refusal.kind()).isEqualTo("tokens");
    assertThat(refusal.per()).isEqualTo("minute");
    // the refused call's request was given back: a second request still fits
    assertThat(limiter.tryAcquire("user|u", 2, 100, 20)).isEmpty();
    assertThat(limiter.tryAcquire("user|u", 2, 100, 0).orElseThrow().kind()).isEqualTo("requests");
  }

  @Test
  void tokensPerDayAreCountedOverTheDay() {
    assertThat(limiter.tryAcquire("tenant|acme", 0, 0, 1000, 600)).isEmpty();
    advance(Duration.ofHours(2));
    RateLimits.Refusal refusal = limiter.tryAcquire("tenant|acme", 0, 0, 1000, 600).orElseThrow();
    assertThat(refusal.per()).isEqualTo("day");
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofHours(22));
    assertThat(limiter.tryAcquire("tenant|acme", 0, 0, 1000, 400)).isEmpty();
  }

  @Test
  void aCallLargerThanTheLimitIsRefusedWithoutTouchingABucket() {
    RateLimits.Refusal refusal = limiter.tryAcquire("key|k1", 5, 100, 101).orElseThrow();
    assertThat(refusal.kind()).isEqualTo("tokens");
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMinutes(1));
    // the request bucket was given back its token
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("key|k1", 5, 100, 1)).isEmpty();
    }
  }

  @Test
  void noLimitTouchesNoBucketAndAChangedLimitStartsANewOne() {
    assertThat(limiter.tryAcquire("key|k1", 0, 0, 0, 500)).isEmpty();
    assertThat(store).isEmpty();
    assertThat(limiter.tryAcquire("key|k1", 1, 0, 1)).isEmpty();
    assertThat(limiter.tryAcquire("key|k1", 1, 0, 1)).isPresent();
    assertThat(limiter.tryAcquire("key|k1", 2, 0, 1)).isEmpty();
    assertThat(store.keySet())
        .containsExactlyInAnyOrder("key|k1|requests-per-minute|1", "key|k1|requests-per-minute|2");
  }
}
