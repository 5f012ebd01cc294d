package dev.warden.call;

import dev.warden.config.ConfigProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What Warden last saw of the upstream circuit breaker. MicroProfile Fault Tolerance has no API for
 * a breaker's state, but an open breaker is visible: the fallback runs for a call that made no
 * attempt. Such an observation counts as "open" for the breaker's delay (after which the breaker
 * lets a trial call through). Readiness reports it.
 */
@ApplicationScoped
public class CircuitState {

  /** The MicroProfile Fault Tolerance override of the breaker's delay (in its unit, seconds). */
  static final String DELAY_KEY = "dev.warden.ai.ResilientOpenAi/CircuitBreaker/delay";

  @Inject Clock clock;

  private final AtomicReference<Instant> lastOpen = new AtomicReference<>();

  public void observedOpen() {
    lastOpen.set(clock.instant());
  }

  /** When the breaker was last seen open, if that is within its delay (calls fail fast now). */
  public Optional<Instant> openSince() {
    Instant seen = lastOpen.get();
    if (seen == null) {
      return Optional.empty();
    }
    Duration delay =
        Duration.ofSeconds(
            ConfigProducer.settings().string(DELAY_KEY).map(Long::parseLong).orElse(10L));
    return clock.instant().isBefore(seen.plus(delay)) ? Optional.of(seen) : Optional.empty();
  }
}
