package dev.warden.gateway.console;

import dev.warden.config.ConfigProducer;
import dev.warden.config.ScheduledPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * Deletes expired console sessions every {@value #INTERVAL}. An expired session is refused before
 * that anyway ({@link ConsoleSessions#find}); the purge keeps the table small.
 */
@ApplicationScoped
public class ConsoleSessionPurge extends ScheduledPurge {

  /** How often expired sessions are deleted (ISO-8601; {@code PT0S} disables). */
  public static final String INTERVAL = "warden.console.session.purge-interval";

  @Inject ConsoleSessions sessions;
  @Inject Clock clock;

  @Override
  protected Duration interval() {
    return ConfigProducer.settings().duration(INTERVAL, Duration.ofMinutes(15));
  }

  @Override
  protected int deleteExpired() {
    return sessions.purgeExpired(clock.instant());
  }

  @Override
  protected String purgedMessage() {
    return "WARDEN0872I: deleted {0} expired console sessions";
  }

  @Override
  protected String failedMessage() {
    return "WARDEN0873W: purging expired console sessions failed: {0}";
  }
}
