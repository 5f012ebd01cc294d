package dev.warden.cost;

import dev.warden.config.Settings;

/**
 * Rate limits from configuration: {@code warden.rate.<user|key|tenant>.<name>.requests-per-minute},
 * {@code .tokens-per-minute} and {@code .tokens-per-day}, {@code <name>} a principal, API key id or
 * tenant, or {@code *} for every one without its own entry. Unset means unlimited.
 */
public final class RateLimitPolicy {

  static final String PREFIX = "warden.rate.";

  private final Settings settings;

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
    return value(scope, name, "requests-per-minute");
  }

  /** Tokens per minute of {@code scope} {@code name}; 0 = none. */
  public long tokensPerMinute(String scope, String name) {
    return value(scope, name, "tokens-per-minute");
  }

  /** Tokens per day (a sliding 24 hours) of {@code scope} {@code name}; 0 = none. */
  public long tokensPerDay(String scope, String name) {
    return value(scope, name, "tokens-per-day");
  }

  private long value(String scope, String name, String field) {
    String own = PREFIX + scope + "." + name + "." + field;
    String any = PREFIX + scope + ".*." + field;
    return settings.string(own).isPresent()
        ? settings.integer(own, 0, 0)
        : settings.integer(any, 0, 0);
  }
}
