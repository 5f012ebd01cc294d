package dev.warden.cluster;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task at a fixed delay on a managed thread of its own, not on the server's shared
 * executor: under load, request work fills that executor, and a scheduled task there waits seconds
 * for a thread (a lease would expire under a live server, invalidations arrive seconds late).
 */
public final class OwnTimer {
  private final ScheduledExecutorService timer;

  private OwnTimer(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts running {@code task} every {@code every}, the first time after one delay. */
  public static OwnTimer every(Duration every, Runnable task, ManagedThreadFactory threads) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(threads);
    timer.scheduleWithFixedDelay(task, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return new OwnTimer(timer);
  }

  public void stop() {
    timer.shutdownNow();
  }

  /**
   * Stops without interrupting a run under way (a thread interrupted in H2's file I/O closes the
   * file's channel), waiting up to {@code wait} for it to end.
   */
  public void stopAfterCurrentRun(Duration wait) {
    timer.shutdown();
    try {
      timer.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
