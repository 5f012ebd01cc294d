package dev.warden.audit.log;

import dev.warden.config.Durations;
import dev.warden.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How long records are kept: {@value #DEFAULT} for every tenant, {@value #TENANT_PREFIX}{@code
 * <tenant>} for one tenant. A record is expired once it is older than its tenant's retention. Legal
 * holds are not part of the policy (they live in the database). Immutable.
 */
public final class RetentionPolicy {
  /** The retention of tenants without their own, an ISO-8601 duration. */
  public static final String DEFAULT = "warden.audit.retention.default";

  /** Prefix of a tenant's own retention. */
  public static final String TENANT_PREFIX = "warden.audit.retention.tenants.";

  /** One year. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(365);

  private final Duration defaultRetention;
  private final Map<String, Duration> tenants;

  /**
   * @throws IllegalArgumentException if a retention is zero or negative
   */
  public RetentionPolicy(Duration defaultRetention, Map<String, Duration> tenants) {
    this.defaultRetention = positive(DEFAULT, defaultRetention);
    TreeMap<String, Duration> copy = new TreeMap<>();
    tenants.forEach((t, d) -> copy.put(t, positive(TENANT_PREFIX + t, d)));
    this.tenants = Collections.unmodifiableMap(copy);
  }

  /**
   * The policy configured in {@code settings}.
   *
   * @throws IllegalArgumentException naming the key of a malformed or non-positive duration
   */
  public static RetentionPolicy fromSettings(Settings settings) {
    Duration def = settings.duration(DEFAULT, DEFAULT_RETENTION);
    Map<String, Duration> tenants = new TreeMap<>();
    for (String name : settings.names()) {
      if (name.startsWith(TENANT_PREFIX) && name.length() > TENANT_PREFIX.length()) {
        String tenant = name.substring(TENANT_PREFIX.length());
        settings.string(name).ifPresent(v -> tenants.put(tenant, Durations.parse(name, v)));
      }
    }
    return new RetentionPolicy(def, tenants);
  }

  /** The retention of {@code tenant}. */
  public Duration retention(String tenant) {
    return tenants.getOrDefault(tenant, defaultRetention);
  }

  /** Records of {@code tenant} created before this instant are expired at {@code now}. */
  public Instant cutoff(String tenant, Instant now) {
    return now.minus(retention(tenant));
  }

  /** No record created at or after this instant is expired at {@code now}, whatever its tenant. */
  public Instant latestCutoff(Instant now) {
    Duration shortest = defaultRetention;
    for (Duration d : tenants.values()) {
      if (d.compareTo(shortest) < 0) {
        shortest = d;
      }
    }
    return now.minus(shortest);
  }

  /** Whether a record of {@code tenant} created at {@code createdAt} is expired at {@code now}. */
  public boolean expired(String tenant, Instant createdAt, Instant now) {
    return createdAt.isBefore(cutoff(tenant, now));
  }

  public Duration defaultRetention() {
    return defaultRetention;
  }

  /** The tenants with their own retention. */
  public Map<String, Duration> tenants() {
    return tenants;
  }

  private static Duration positive(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration: " + d);
    }
    return d;
  }
}
