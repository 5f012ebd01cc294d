package dev.warden.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OwnTimerTest {

  /** Plain threads, as the server's managed thread factory gives them. */
  private static final ManagedThreadFactory THREADS =
      new ManagedThreadFactory() {
        @Override
        public Thread newThread(Runnable r) {
          Thread t = new Thread(r, "own-timer-test");
          t.setDaemon(true);
          return t;
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
          throw new UnsupportedOperationException();
        }
      };

  @Test
  void stopLetsARunUnderWayFinishUninterruptedAndStartsNoOther() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    AtomicInteger runs = new AtomicInteger();
    OwnTimer timer =
        OwnTimer.every(
            Duration.ofMillis(10),
            () -> {
              runs.incrementAndGet();
              running.countDown();
              try {
                release.await();
                finished.set(true);
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            },
            THREADS);
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    Thread stopper = new Thread(() -> timer.stop(Duration.ofSeconds(30)));
    stopper.start();
    // stop() waits for the run: it has not returned while the run is held
    stopper.join(200);
    assertThat(stopper.isAlive()).isTrue();
    release.countDown();
    stopper.join(5_000);

    assertThat(stopper.isAlive()).isFalse();
    assertThat(finished).isTrue();
    assertThat(interrupted).isFalse();
    assertThat(runs).hasValue(1);
  }

  @Test
  void aRunThatOutlastsTheWaitIsInterrupted() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    OwnTimer timer =
        OwnTimer.every(
            Duration.ofMillis(10),
            () -> {
              running.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
            },
            THREADS);
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    timer.stop(Duration.ofMillis(50));

    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
