package dev.warden.config;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A purge that every server runs at a fixed delay on the managed scheduled executor (Jakarta
 * Concurrency), from application start until shutdown: it logs how many rows it deleted, and a
 * failure (only its exception type) without stopping the schedule. Subclasses are application
 * scoped beans; the deletes of several servers do not conflict.
 */
public abstract class ScheduledPurge {

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> task;

  /** How often to purge; zero disables the schedule. */
  protected abstract Duration interval();

  /** How long after start the first purge runs; by default one interval. */
  protected Duration firstDelay() {
    return interval();
  }

  /** Deletes what has expired; returns how many rows. */
  protected abstract int deleteExpired();

  /** The message logged after a purge that deleted rows, with {@code {0}} for the count. */
  protected abstract String purgedMessage();

  /** The message logged when a purge failed, with {@code {0}} for the exception type. */
  protected abstract String failedMessage();

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    Duration every = interval();
    if (!every.isZero() && !every.isNegative()) {
      task =
          scheduler.scheduleWithFixedDelay(
              this::purge, firstDelay().toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Purges now; returns how many rows were deleted (0 when the purge failed). */
  public int purge() {
    Logger log = Logger.getLogger(getClass().getName());
    try {
      int purged = deleteExpired();
      if (purged > 0) {
        log.log(Level.INFO, purgedMessage(), purged);
      }
      return purged;
    } catch (RuntimeException e) {
      log.log(Level.WARNING, failedMessage(), e.getClass().getName());
      return 0;
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
