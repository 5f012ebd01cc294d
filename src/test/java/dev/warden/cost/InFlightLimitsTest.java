package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightLimitsTest {

  private final InFlightLimits limits = new InFlightLimits();

  @Test
  void placesAreCountedPerKeyUpToTheLimitAndAnEmptyKeyIsForgotten() {
    assertThat(limits.tryAcquire("tenant|acme", 2)).isTrue();
    assertThat(limits.tryAcquire("tenant|acme", 2)).isTrue();
    assertThat(limits.tryAcquire("tenant|acme", 2)).isFalse();
    assertThat(limits.tryAcquire("tenant|globex", 2)).isTrue();
    assertThat(limits.inFlight("tenant|acme")).isEqualTo(2);

    limits.release("tenant|acme");
    assertThat(limits.tryAcquire("tenant|acme", 2)).isTrue();
    limits.release("tenant|acme");
    limits.release("tenant|acme");
    limits.release("tenant|globex");

    assertThat(limits.inFlight("tenant|acme")).isZero();
    assertThat(limits.inFlight("tenant|globex")).isZero();
  }

  @Test
  void manyThreadsNeverHoldMoreThanTheLimitAtOnce() throws Exception {
    int limit = 3;
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        all.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 2_000; i++) {
                    if (limits.tryAcquire("tenant|acme", limit)) {
                      most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                      holding.decrementAndGet();
                      limits.release("tenant|acme");
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : all) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(most.get()).isBetween(1, limit);
    assertThat(limits.inFlight("tenant|acme")).isZero();
  }
}
