package dev.warden.ai.service;

import dev.warden.config.ConfigProducer;
import dev.warden.config.ScheduledPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * Deletes tool-call claims, and their sealed first results, older than {@value #RETENTION} every
 * hour, so results do not stay stored, even encrypted, and the table does not grow without end. A
 * duplicate of a call older than the retention runs again.
 */
@ApplicationScoped
public class ToolCallPurge extends ScheduledPurge {

  /** How long a claim and its result are kept (ISO-8601; {@code PT0S} keeps them forever). */
  public static final String RETENTION = "warden.tools.claim-retention";

  @Inject ToolCallStore store;

  private final Clock clock = Clock.systemUTC();

  @Override
  protected Duration interval() {
    return retention().isZero() ? Duration.ZERO : Duration.ofHours(1);
  }

  @Override
  protected Duration firstDelay() {
    return Duration.ofMinutes(1);
  }

  @Override
  protected int deleteExpired() {
    Duration keep = retention();
    return keep.isZero() ? 0 : store.purgeClaimedBefore(clock.instant().minus(keep));
  }

  private static Duration retention() {
    return ConfigProducer.settings().duration(RETENTION, Duration.ofDays(7));
  }

  @Override
  protected String purgedMessage() {
    return "WARDEN0733I: deleted {0} tool-call claims past their retention";
  }

  @Override
  protected String failedMessage() {
    return "WARDEN0734W: purging tool-call claims failed: {0}";
  }
}
