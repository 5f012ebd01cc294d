package dev.warden.cost;

import dev.warden.cluster.OutsideTransactions;
import dev.warden.cluster.SharedDatabase;
import dev.warden.config.ConfigProducer;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The rate-limit store every server on the database shares: Bucket4j's PostgreSQL store (table
 * {@code rate_bucket}, one row per bucket, locked with {@code SELECT ... FOR UPDATE} while a call
 * takes from it), in use when {@value RateLimits#STORE} is {@code database}, or {@code auto} on
 * PostgreSQL. Each call runs in a short transaction of its own, outside the caller's.
 */
@ApplicationScoped
public class SharedRateBuckets {

  /** How long a bucket may wait on another server's lock before the call fails. */
  static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

  @Resource(lookup = SharedDatabase.DATA_SOURCE)
  DataSource dataSource;

  @Inject OutsideTransactions outside;

  private volatile PostgreSQLSelectForUpdateBasedProxyManager<String> store;

  /**
   * Whether the limits are counted here ({@value RateLimits#STORE}).
   *
   * @throws IllegalArgumentException if the setting names no store, or {@code database} on a
   *     database other than PostgreSQL
   */
  boolean inUse() {
    String chosen =
        ConfigProducer.settings().string(RateLimits.STORE, "auto").trim().toLowerCase(Locale.ROOT);
    switch (chosen) {
      case "memory":
        return false;
      case "auto":
        return SharedDatabase.isPostgres(dataSource);
      case "database":
        if (!SharedDatabase.isPostgres(dataSource)) {
          throw new IllegalArgumentException(
              RateLimits.STORE
                  + "=database needs PostgreSQL: the embedded H2 database belongs to one server");
        }
        return true;
      default:
        throw new IllegalArgumentException(
            RateLimits.STORE + ": memory, database or auto, not " + chosen);
    }
  }

  /** The limits, counted in this store, each call outside the caller's transaction. */
  RateLimits limits() {
    BucketRateLimiter limiter = new BucketRateLimiter(this::bucket);
    return (key, rpm, tpm, tpd, tokens) ->
        outside.get(() -> limiter.tryAcquire(key, rpm, tpm, tpd, tokens));
  }

  private Bucket bucket(String name, BucketConfiguration configuration) {
    return store().builder().build(name, () -> configuration);
  }

  /** Deletes the buckets that have been full again for a while; returns how many. */
  int removeExpired() {
    return inUse() ? outside.get(() -> store().removeExpired(1000)) : 0;
  }

  private PostgreSQLSelectForUpdateBasedProxyManager<String> store() {
    PostgreSQLSelectForUpdateBasedProxyManager<String> s = store;
    if (s == null) {
      synchronized (this) {
        s = store;
        if (s == null) {
          s =
              Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                  .primaryKeyMapper(PrimaryKeyMapper.STRING)
                  .table("rate_bucket")
                  .idColumn("id")
                  .stateColumn("state")
                  .expiresAtColumn("expires_at")
                  .expirationAfterWrite(
                      ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                          Duration.ofMinutes(1)))
                  .requestTimeout(LOCK_TIMEOUT)
                  .build();
          store = s;
        }
      }
    }
    return s;
  }
}
