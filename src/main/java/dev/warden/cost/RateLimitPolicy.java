package dev.warden.cost;

import dev.warden.config.Settings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate limits from configuration: {@code warden.rate.<user|key|tenant>.<name>.requests-per-minute},
 * {@code .tokens-per-minute}, {@code .tokens-per-day} and {@code .in-flight} (calls under way at
 * once on one server), {@code <name>} a principal, API key id or tenant, or {@code *} for every one
 * without its own entry. Unset means unlimited.
 *
 * <p>A name's limits are read from configuration once (every admission asks for them, and a lookup
 * walks every configuration source) and kept for the life of the server, like the rest of Warden's
 * configuration; at most {@value #REMEMBERED} names are kept, then they are read afresh.
 * Thread-safe.
 */
public final class RateLimitPolicy {

  static final String PREFIX = "warden.rate.";

  /** How many (scope, name) pairs are remembered before the memory starts over. */
  static final int REMEMBERED = 10_000;

  private static final String[] FIELDS = {
    "requests-per-minute", "tokens-per-minute", "tokens-per-day", "in-flight"
  };

  private final Settings settings;
  private final Map<String, long[]> limits = new ConcurrentHashMap<>();

  private RateLimitPolicy(Settings settings) {
    this.settings = settings;
  }

  public static RateLimitPolicy from(Settings settings) {
    return new RateLimitPolicy(settings);
  }

  /**
   * Requests per minute of {@code scope} ({@code user}, {@code key} or {@code tenant}) {@code
   * name}; 0 = none.
   */
  public long requestsPerMinute(String scope, String name) {
    return limits(scope, name)[0];
  }

  /** Tokens per minute of {@code scope} {@code name}; 0 = none. */
  public long tokensPerMinute(String scope, String name) {
    return limits(scope, name)[1];
  }

  /** Tokens per day (a sliding 24 hours) of {@code scope} {@code name}; 0 = none. */
  public long tokensPerDay(String scope, String name) {
    return limits(scope, name)[2];
  }

  /**
   * How many model calls of {@code scope} {@code name} may be under way at once on this server
   * ({@link InFlightLimits}); 0 = any number.
   */
  public long inFlight(String scope, String name) {
    return limits(scope, name)[3];
  }

  private long[] limits(String scope, String name) {
    String key = scope + "|" + name;
    long[] found = limits.get(key);
    if (found == null) {
      found = new long[FIELDS.length];
      for (int i = 0; i < FIELDS.length; i++) {
        found[i] = value(scope, name, FIELDS[i]);
      }
      if (limits.size() >= REMEMBERED) {
        limits.clear();
      }
      limits.put(key, found);
    }
    return found;
  }

  private long value(String scope, String name, String field) {
    String own = PREFIX + scope + "." + name + "." + field;
    String any = PREFIX + scope + ".*." + field;
    return settings.string(own).isPresent()
        ? settings.integer(own, 0, 0)
        : settings.integer(any, 0, 0);
  }
}
