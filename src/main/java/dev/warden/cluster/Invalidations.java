package dev.warden.cluster;

import dev.warden.config.ConfigProducer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Cache invalidations that reach every server on the database: {@link #announce} writes one row
 * (table {@code cache_invalidation}) in the caller's transaction, so it exists exactly when the
 * change it announces committed; every server reads the new rows every {@value #INTERVAL} (default
 * 250 ms) and fires each once as an {@link Invalidation} event, which the caches observe. {@link
 * #catchUp} reads them at once, for a request that must not act on a stale cache.
 *
 * <p>A read takes the rows of the last {@link #OVERLAP} before the previous read as well, so a row
 * whose transaction committed late is still seen; the ids already fired are remembered for that
 * long. When reading fails (the database away), the next successful read fires {@link
 * Invalidation#EVERYTHING}: every cache starts over rather than trust what it may have missed. Rows
 * older than {@link #KEEP} are deleted.
 *
 * <p>Why a table and not PostgreSQL's {@code LISTEN/NOTIFY}: it works on every database Warden runs
 * on, needs no driver-specific API (the JDBC driver belongs to the server, not the application),
 * and a server that was disconnected loses nothing it can still read.
 */
@ApplicationScoped
public class Invalidations {
  private static final Logger LOG = Logger.getLogger(Invalidations.class.getName());

  /** How often every server reads the invalidations of the others. */
  public static final String INTERVAL = "warden.cluster.invalidation-interval";

  static final Duration OVERLAP = Duration.ofSeconds(10);
  static final Duration KEEP = Duration.ofHours(1);
  static final Duration CLEAN_EVERY = Duration.ofMinutes(5);

  @Resource(lookup = SharedDatabase.DATA_SOURCE)
  DataSource dataSource;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private OwnTimer timer;

  @Inject Event<Invalidation> events;

  /** When the database said the previous successful read began; null before the first. */
  private Instant readAt;

  /** The ids fired, and when their rows were made, for {@link #OVERLAP} after. */
  private final Map<Long, Instant> fired = new HashMap<>();

  private boolean missed;
  private Instant cleanedAt = Instant.MIN;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    Duration every = ConfigProducer.settings().duration(INTERVAL, Duration.ofMillis(250));
    if (every.isZero() || every.isNegative()) {
      return;
    }
    timer = OwnTimer.every(every, this::readQuietly, threads);
  }

  @PreDestroy
  void stop() {
    if (timer != null) {
      timer.stop();
    }
  }

  /**
   * Tells every server (this one too) to drop {@code item} of {@code topic} from its caches, once
   * the current transaction commits (in a transaction of its own when there is none).
   *
   * @throws IllegalStateException if the row cannot be written
   */
  @Transactional(TxType.REQUIRED)
  public void announce(String topic, String item) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement("insert into cache_invalidation (topic, item) values (?, ?)")) {
      insert.setString(1, topic);
      insert.setString(2, item);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not record a cache invalidation: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the invalidations made since the last read and fires them, now.
   *
   * @throws IllegalStateException if the database cannot be read (then nothing can be trusted to be
   *     current: the caller should not go on)
   */
  @Transactional(TxType.NOT_SUPPORTED)
  public void catchUp() {
    try {
      read();
    } catch (SQLException e) {
      synchronized (this) {
        missed = true;
      }
      throw new IllegalStateException(
          "could not read the cache invalidations: " + e.getMessage(), e);
    }
  }

  private void readQuietly() {
    try {
      read();
    } catch (SQLException | RuntimeException e) {
      synchronized (this) {
        if (!missed) {
          LOG.log(
              Level.WARNING,
              "WARDEN0850W: cannot read the cache invalidations of other servers ({0}); caches"
                  + " start over when it can",
              e.getClass().getName());
        }
        missed = true;
      }
    }
  }

  private synchronized void read() throws SQLException {
    List<Invalidation> toFire = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      Instant now = SharedDatabase.now(c);
      Instant from = (readAt == null ? now : readAt).minus(OVERLAP);
      try (PreparedStatement q =
          c.prepareStatement(
              "select id, topic, item, created_at from cache_invalidation"
                  + " where created_at > ? order by id")) {
        q.setTimestamp(1, Timestamp.from(from));
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            if (fired.putIfAbsent(id, rs.getTimestamp(4).toInstant()) == null) {
              toFire.add(new Invalidation(rs.getString(2), rs.getString(3)));
            }
          }
        }
      }
      fired.values().removeIf(made -> made.isBefore(from));
      if (now.isAfter(cleanedAt.plus(CLEAN_EVERY))) {
        try (PreparedStatement delete =
            c.prepareStatement("delete from cache_invalidation where created_at < ?")) {
          delete.setTimestamp(1, Timestamp.from(now.minus(KEEP)));
          delete.executeUpdate();
        }
        cleanedAt = now;
      }
      readAt = now;
    }
    if (missed) {
      missed = false;
      LOG.log(
          Level.INFO, "WARDEN0851I: cache invalidations are read again; every cache starts over");
      toFire.clear();
      toFire.add(Invalidation.EVERYTHING);
    }
    for (Invalidation i : toFire) {
      events.fire(i);
    }
  }
}
