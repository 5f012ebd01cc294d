package dev.warden.cost;

import dev.warden.config.ConfigProducer;
import dev.warden.config.ScheduledPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Deletes, every {@value #INTERVAL}, the shared rate-limit buckets ({@link SharedRateBuckets}) that
 * have been full again for a minute: a key that stops calling leaves no row behind.
 */
@ApplicationScoped
public class RateBucketPurge extends ScheduledPurge {

  /** How often idle buckets are deleted (ISO-8601; {@code PT0S} disables). */
  public static final String INTERVAL = "warden.rate.purge.interval";

  @Inject SharedRateBuckets buckets;

  @Override
  protected Duration interval() {
    return ConfigProducer.settings().duration(INTERVAL, Duration.ofMinutes(10));
  }

  @Override
  protected int deleteExpired() {
    return buckets.removeExpired();
  }

  @Override
  protected String purgedMessage() {
    return "WARDEN0634I: deleted {0} idle rate-limit buckets";
  }

  @Override
  protected String failedMessage() {
    return "WARDEN0635W: deleting idle rate-limit buckets failed: {0}";
  }
}
