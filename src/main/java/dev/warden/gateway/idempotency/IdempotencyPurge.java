package dev.warden.gateway.idempotency;

import dev.warden.config.ConfigProducer;
import dev.warden.config.ScheduledPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * Deletes expired idempotency keys and their recorded answers every {@value #INTERVAL}, so answers
 * do not stay stored, even encrypted, past {@value Idempotency#WINDOW}. Expired keys are never
 * replayed before that either: {@link Idempotency} ignores them.
 */
@ApplicationScoped
public class IdempotencyPurge extends ScheduledPurge {

  /** How often expired keys are deleted (ISO-8601; {@code PT0S} disables). */
  public static final String INTERVAL = "warden.idempotency.purge.interval";

  @Inject IdempotentRequests rows;
  @Inject Clock clock;

  @Override
  protected Duration interval() {
    return ConfigProducer.settings().duration(INTERVAL, Duration.ofHours(1));
  }

  @Override
  protected int deleteExpired() {
    return rows.purgeExpired(clock.instant());
  }

  @Override
  protected String purgedMessage() {
    return "WARDEN0844I: deleted {0} expired idempotency keys";
  }

  @Override
  protected String failedMessage() {
    return "WARDEN0845W: purging expired idempotency keys failed: {0}";
  }
}
