package dev.warden.gateway.idempotency;

import dev.warden.config.ConfigProducer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes expired idempotency keys and their recorded answers every {@value #INTERVAL} (Jakarta
 * Concurrency), so answers do not stay stored, even encrypted, past {@value Idempotency#WINDOW}.
 * Expired keys are never replayed before that either: {@link Idempotency} ignores them. Every
 * server runs it; the deletes do not conflict.
 */
@ApplicationScoped
public class IdempotencyPurge {
  private static final Logger LOG = Logger.getLogger(IdempotencyPurge.class.getName());

  /** How often expired keys are deleted (ISO-8601; {@code PT0S} disables). */
  public static final String INTERVAL = "warden.idempotency.purge.interval";

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  @Inject IdempotentRequests rows;
  @Inject Clock clock;

  private ScheduledFuture<?> task;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    Duration every = ConfigProducer.settings().duration(INTERVAL, Duration.ofHours(1));
    if (!every.isZero()) {
      task =
          scheduler.scheduleWithFixedDelay(
              this::purge, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Deletes the expired keys now; returns how many. */
  public int purge() {
    try {
      int purged = rows.purgeExpired(clock.instant());
      if (purged > 0) {
        LOG.log(Level.INFO, "WARDEN0844I: deleted {0} expired idempotency keys", purged);
      }
      return purged;
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0845W: purging expired idempotency keys failed: {0}",
          e.getClass().getName());
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
