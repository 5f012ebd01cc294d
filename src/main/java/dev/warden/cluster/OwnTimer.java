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

  /** How long {@link #stop()} lets a run under way finish before it interrupts it. */
  static final Duration LAST_RUN = Duration.ofSeconds(5);

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

  /**
   * Stops: no run starts any more, and a run under way may finish (up to {@link #LAST_RUN}) before
   * this returns. Every task here reads or writes the database, and a thread interrupted in H2's
   * file I/O closes the file's channel, so a run is interrupted only when it outlasts that wait (a
   * database outage it is waiting out, say).
   */
  public void stop() {
    stop(LAST_RUN);
  }

  void stop(Duration lastRun) {
    timer.shutdown();
    try {
      if (timer.awaitTermination(lastRun.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
  }
}
