package dev.warden.cluster;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Which servers on the database are alive: each renews its lease (table {@code warden_server})
 * every {@value #RENEWAL} (default 5 s); a lease not renewed for {@value #EXPIRY} (default 30 s)
 * has expired, and the first server that sees it claims it (deletes the row; one server wins) and
 * fires {@link ServerGone}, so that what the gone server left is recovered by a live one whatever
 * its name becomes when it comes back (a pod's name changes). A server's own start fires {@link
 * ServerGone} for its previous run, before it serves. A server that stops in order gives up its
 * lease, so the others recover at once anything it left.
 *
 * <p>The server's name ({@value #NAME}) must be unique among the servers on a database and is best
 * stable across restarts; by default the host name and the server's directory.
 */
@ApplicationScoped
public class ServerLeases {
  private static final Logger LOG = Logger.getLogger(ServerLeases.class.getName());

  /** This server's name among the servers on the database. */
  public static final String NAME = "warden.cluster.server-name";

  /** The name's older setting, still read when {@value #NAME} is not set. */
  static final String OUTBOX_OWNER = "warden.audit.outbox.owner";

  /** How often a server renews its lease and looks for expired ones. */
  public static final String RENEWAL = "warden.cluster.lease-renewal";

  /** How long a lease lasts without renewal. */
  public static final String EXPIRY = "warden.cluster.lease-expiry";

  @Resource(lookup = SharedDatabase.DATA_SOURCE)
  DataSource dataSource;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private OwnTimer timer;

  @Inject Event<ServerGone> gone;

  private volatile String name;
  Duration expiry; // package-private: tests set it
  private boolean failing;

  /** This server's name in the rows it owns. */
  public String name() {
    String n = name;
    if (n == null) {
      Settings s = ConfigProducer.settings();
      n = s.string(NAME).or(() -> s.string(OUTBOX_OWNER)).orElse("").strip();
      if (n.isEmpty()) {
        n = defaultName();
      }
      n = n.length() > 300 ? n.substring(n.length() - 300) : n;
      name = n;
    }
    return n;
  }

  /** The host name and the server's directory (Liberty runs a server in its output directory). */
  static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return host + ":" + System.getProperty("user.dir");
  }

  /**
   * At start, after the migrations: takes the lease, recovers what this server's previous run left,
   * and renews from then on.
   */
  void onStart(
      @Observes
          @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
          @Initialized(ApplicationScoped.class)
          Object started) {
    Settings s = ConfigProducer.settings();
    Duration renewal = s.duration(RENEWAL, Duration.ofSeconds(5));
    expiry = s.duration(EXPIRY, Duration.ofSeconds(30));
    if (renewal.isZero() || renewal.isNegative() || expiry.compareTo(renewal) <= 0) {
      throw new IllegalArgumentException(
          RENEWAL
              + " must be positive and shorter than "
              + EXPIRY
              + ": "
              + renewal
              + ", "
              + expiry);
    }
    Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    try {
      renew();
    } catch (SQLException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0852W: this server could not take its lease ({0}); it tries again every {1}",
          new Object[] {e.getClass().getName(), renewal});
    }
    try {
      gone.fire(new ServerGone(name(), jvmStart));
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0854W: recovering what server {0} left failed ({1}); it is tried again at its"
              + " next start",
          new Object[] {name(), e.getClass().getName()});
    }
    timer = OwnTimer.every(renewal, this::tick, threads);
  }

  /** Gives the lease up, so the other servers recover at once whatever this one left. */
  @PreDestroy
  void stop() {
    if (timer == null) {
      return;
    }
    timer.stop();
    try (Connection c = dataSource.getConnection();
        PreparedStatement expire =
            c.prepareStatement("update warden_server set renewed_at = ? where name = ?")) {
      expire.setTimestamp(1, Timestamp.from(Instant.EPOCH));
      expire.setString(2, name());
      expire.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      // the lease then expires by itself
    }
  }

  void tick() {
    try {
      renew();
      for (String other : claimExpired()) {
        LOG.log(
            Level.WARNING,
            "WARDEN0853W: the lease of server {0} expired; this server recovers what it left",
            other);
        try {
          gone.fire(new ServerGone(other, Instant.now()));
        } catch (RuntimeException e) {
          // give the claim back, expired: this server or another tries again at the next tick
          LOG.log(
              Level.WARNING,
              "WARDEN0854W: recovering what server {0} left failed ({1}); it is tried again",
              new Object[] {other, e.getClass().getName()});
          expired(other);
        }
      }
      failing = false;
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        LOG.log(
            Level.WARNING,
            "WARDEN0852W: this server could not renew its lease or look for expired ones ({0})",
            e.getClass().getName());
      }
      failing = true;
    }
  }

  /** Renews this server's lease (takes it if there is none). */
  void renew() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      Timestamp now = Timestamp.from(SharedDatabase.now(c));
      try (PreparedStatement update =
          c.prepareStatement("update warden_server set renewed_at = ? where name = ?")) {
        update.setTimestamp(1, now);
        update.setString(2, name());
        if (update.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into warden_server (name, started_at, renewed_at) values (?, ?, ?)")) {
        insert.setString(1, name());
        insert.setTimestamp(2, now);
        insert.setTimestamp(3, now);
        insert.executeUpdate();
      }
    }
  }

  /** The servers whose lease expired and that this server claimed (deleted): each by one only. */
  List<String> claimExpired() throws SQLException {
    List<String> claimed = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      Timestamp before = Timestamp.from(SharedDatabase.now(c).minus(expiry));
      List<String> expired = new ArrayList<>();
      try (PreparedStatement q =
          c.prepareStatement("select name from warden_server where renewed_at < ? and name <> ?")) {
        q.setTimestamp(1, before);
        q.setString(2, name());
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            expired.add(rs.getString(1));
          }
        }
      }
      for (String other : expired) {
        try (PreparedStatement claim =
            c.prepareStatement("delete from warden_server where name = ? and renewed_at < ?")) {
          claim.setString(1, other);
          claim.setTimestamp(2, before);
          if (claim.executeUpdate() == 1) {
            claimed.add(other);
          }
        }
      }
    }
    return claimed;
  }

  /** Puts back the lease of {@code other}, expired, so that it is claimed again. */
  private void expired(String other) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into warden_server (name, started_at, renewed_at) values (?, ?, ?)")) {
      insert.setString(1, other);
      insert.setTimestamp(2, Timestamp.from(Instant.EPOCH));
      insert.setTimestamp(3, Timestamp.from(Instant.EPOCH));
      insert.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      // it came back meanwhile, or the database is away: its own start recovers it
    }
  }
}
