package dev.warden.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {

  @Test
  void reservationsStopAtTheLimitAndReleasesMakeRoom() {
    BodyBudget budget = new BodyBudget(100);
    assertThat(budget.tryReserve(60)).isTrue();
    assertThat(budget.tryReserve(41)).isFalse();
    assertThat(budget.used()).isEqualTo(60);
    assertThat(budget.tryReserve(40)).isTrue();
    assertThat(budget.tryReserve(1)).isFalse();
    budget.release(60);
    assertThat(budget.tryReserve(50)).isTrue();
    assertThat(budget.used()).isEqualTo(90);
  }

  @Test
  void concurrentReservationsNeverPassTheLimit() throws Exception {
    BodyBudget budget = new BodyBudget(1000);
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 400; i++) {
      pool.submit(
          () -> {
            start.await();
            if (budget.tryReserve(7)) {
              granted.incrementAndGet();
            }
            return null;
          });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(granted.get()).isEqualTo(1000 / 7);
    assertThat(budget.used()).isEqualTo(granted.get() * 7L);
  }

  @Test
  void aBudgetMustBePositiveAndReservationsNotNegative() {
    assertThatThrownBy(() -> new BodyBudget(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BodyBudget(5).tryReserve(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
