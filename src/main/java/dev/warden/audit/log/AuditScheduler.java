package dev.warden.audit.log;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the audit log's periodic jobs on the server's {@link ManagedScheduledExecutorService}
 * (Jakarta Concurrency): the purge ({@value #PURGE_INTERVAL}, first after {@value
 * #PURGE_INITIAL_DELAY}), checkpoints ({@value #CHECKPOINT_INTERVAL}) and the re-wrap job of
 * master-key rotation ({@value #REWRAP_INTERVAL}). A zero interval disables a job. A failed run is
 * logged ({@code WARDEN0344E}) and the next one runs as planned. Every server runs them; purges
 * take turns on the chain-head lock, and a checkpoint of an unchanged head is not stored twice.
 */
@ApplicationScoped
public class AuditScheduler {
  private static final Logger LOG = Logger.getLogger(AuditScheduler.class.getName());

  /** How often expired records are purged (ISO-8601; {@code PT0S} disables). */
  public static final String PURGE_INTERVAL = "warden.audit.purge.interval";

  /** How long after start the first purge runs. */
  public static final String PURGE_INITIAL_DELAY = "warden.audit.purge.initial-delay";

  /**
   * How often the re-wrap job of master-key rotation runs (ISO-8601; {@code PT0S} disables); the
   * first run is one interval after start.
   */
  public static final String REWRAP_INTERVAL = "warden.audit.rewrap.interval";

  /** How often the chain head is checkpointed (ISO-8601; {@code PT0S} disables). */
  public static final String CHECKPOINT_INTERVAL = "warden.audit.checkpoint.interval";

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService executor;

  @Inject AuditRetention retention;
  @Inject AuditCheckpoints checkpoints;
  @Inject AuditRewrap rewrap;
  @Inject Clock clock;

  private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();

  private volatile ScheduledFuture<?> purgeJob;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    schedule(executor, ConfigProducer.settings());
  }

  /** Schedules the jobs on {@code on} as {@code settings} say. */
  synchronized void schedule(ScheduledExecutorService on, Settings settings) {
    Duration purge = purgeInterval(settings);
    Duration purgeDelay = settings.duration(PURGE_INITIAL_DELAY, Duration.ofMinutes(10));
    Duration checkpoint = settings.duration(CHECKPOINT_INTERVAL, Duration.ofMinutes(5));
    Duration rewrapEvery = settings.duration(REWRAP_INTERVAL, Duration.ofHours(24));
    if (!purge.isZero()) {
      purgeJob =
          on.scheduleWithFixedDelay(
              () -> run("purge", () -> retention.purge(clock.instant(), "SCHEDULER")),
              purgeDelay.toMillis(),
              purge.toMillis(),
              TimeUnit.MILLISECONDS);
      scheduled.add(purgeJob);
    }
    if (!checkpoint.isZero()) {
      scheduled.add(
          on.scheduleWithFixedDelay(
              () -> run("checkpoint", checkpoints::checkpoint),
              checkpoint.toMillis(),
              checkpoint.toMillis(),
              TimeUnit.MILLISECONDS));
    }
    if (!rewrapEvery.isZero()) {
      scheduled.add(
          on.scheduleWithFixedDelay(
              () -> run("re-wrap", rewrap::run),
              rewrapEvery.toMillis(),
              rewrapEvery.toMillis(),
              TimeUnit.MILLISECONDS));
    }
    LOG.log(
        Level.INFO,
        "WARDEN0345I: audit jobs scheduled: purge every {0}, checkpoint every {1}, re-wrap every"
            + " {2}",
        new Object[] {
          purge.isZero() ? "never" : purge,
          checkpoint.isZero() ? "never" : checkpoint,
          rewrapEvery.isZero() ? "never" : rewrapEvery
        });
  }

  private static void run(String job, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE, "WARDEN0344E: the audit " + job + " job failed; it runs again later", e);
    }
  }

  /** How often this server purges, as configured; empty when purges are disabled. */
  public Optional<Duration> purgeInterval() {
    Duration purge = purgeInterval(ConfigProducer.settings());
    return purge.isZero() ? Optional.empty() : Optional.of(purge);
  }

  /** {@value #PURGE_INTERVAL} (default a day; zero: no purge). */
  private static Duration purgeInterval(Settings settings) {
    return settings.duration(PURGE_INTERVAL, Duration.ofHours(24));
  }

  /**
   * When this server's next purge starts (now while one runs); empty when purges are disabled or
   * not scheduled. Every server purges on its own schedule.
   */
  public Optional<Instant> nextPurge() {
    ScheduledFuture<?> job = purgeJob;
    if (job == null || job.isCancelled()) {
      return Optional.empty();
    }
    long delay = Math.max(0, job.getDelay(TimeUnit.MILLISECONDS));
    return Optional.of(clock.instant().plusMillis(delay).truncatedTo(ChronoUnit.SECONDS));
  }

  @PreDestroy
  synchronized void stop() {
    scheduled.forEach(f -> f.cancel(false));
    scheduled.clear();
    purgeJob = null;
  }
}
