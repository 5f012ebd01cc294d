package dev.warden.cost;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model calls under way on this server per principal, API key or tenant, counted against {@code
 * warden.rate.<scope>.<name>.in-flight} ({@link RateLimitPolicy#inFlight}): admission takes a place
 * for a call before anything is sent, and the call gives it back when it finishes (a stream when it
 * ends, however it ends). Only callers with a limit are counted; a key whose count falls to zero is
 * forgotten. Per server, in memory: a call in flight is a connection, a thread or a relay of this
 * server, which is what the limit protects. Thread-safe.
 */
@ApplicationScoped
public class InFlightLimits {

  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  /**
   * Counts one more call under {@code key} if fewer than {@code limit} are under way.
   *
   * @return whether it was counted; a call not counted must not {@link #release}
   */
  boolean tryAcquire(String key, long limit) {
    boolean[] taken = {false};
    counts.compute(
        key,
        (k, n) -> {
          int now = n == null ? 0 : n;
          if (now >= limit) {
            return n;
          }
          taken[0] = true;
          return now + 1;
        });
    return taken[0];
  }

  /** Gives back a place {@link #tryAcquire} took under {@code key}. */
  void release(String key) {
    counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** How many calls under {@code key} are under way now. */
  public int inFlight(String key) {
    return counts.getOrDefault(key, 0);
  }
}
