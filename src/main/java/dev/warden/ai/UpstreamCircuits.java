package dev.warden.ai;

import dev.warden.openai.Upstream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A circuit breaker per upstream for the fallback chain: after {@code
 * warden.upstream.<name>.circuit-failures} consecutive retriable failures of an upstream the chain
 * skips it for {@code warden.upstream.<name>.circuit-delay}; then one trial call is let through,
 * whose success closes the circuit and whose failure opens it again. (The requested model's own
 * attempts are guarded by MicroProfile Fault Tolerance's breaker of the operation, see {@link
 * ResilientOpenAi}.) Thread-safe.
 */
@ApplicationScoped
public class UpstreamCircuits {

  private final Clock clock;
  private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();

  @Inject
  public UpstreamCircuits(Clock clock) {
    this.clock = clock;
  }

  /** For CDI's client proxy. */
  protected UpstreamCircuits() {
    this(null);
  }

  private static final class State {
    int failures;
    Instant openedAt;
    boolean trialInFlight;
  }

  /** Whether a call to {@code upstream} may go ahead now (claims the trial of a half-open one). */
  public boolean allows(Upstream upstream) {
    State state = states.computeIfAbsent(upstream.name(), n -> new State());
    synchronized (state) {
      if (state.openedAt == null) {
        return true;
      }
      if (clock.instant().isBefore(state.openedAt.plus(upstream.circuitDelay()))
          || state.trialInFlight) {
        return false;
      }
      state.trialInFlight = true;
      return true;
    }
  }

  public void succeeded(Upstream upstream) {
    State state = states.computeIfAbsent(upstream.name(), n -> new State());
    synchronized (state) {
      state.failures = 0;
      state.openedAt = null;
      state.trialInFlight = false;
    }
  }

  public void failed(Upstream upstream) {
    State state = states.computeIfAbsent(upstream.name(), n -> new State());
    synchronized (state) {
      state.failures++;
      state.trialInFlight = false;
      if (state.failures >= upstream.circuitFailures()) {
        state.openedAt = clock.instant();
      }
    }
  }

  /** A call that neither proves nor disproves the upstream (e.g. it refused the request). */
  public void released(Upstream upstream) {
    State state = states.computeIfAbsent(upstream.name(), n -> new State());
    synchronized (state) {
      state.trialInFlight = false;
    }
  }

  /** Whether calls to {@code upstream} are being skipped now. */
  public boolean isOpen(Upstream upstream) {
    State state = states.get(upstream.name());
    if (state == null) {
      return false;
    }
    synchronized (state) {
      return state.openedAt != null
          && clock.instant().isBefore(state.openedAt.plus(upstream.circuitDelay()));
    }
  }
}
