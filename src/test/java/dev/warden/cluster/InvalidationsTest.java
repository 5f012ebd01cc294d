package dev.warden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.log.AuditMigrations;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Two servers' {@link Invalidations} on one database (an in-memory H2, as the server's). */
class InvalidationsTest {

  private final JdbcDataSource database = new JdbcDataSource();
  private boolean databaseAway;

  InvalidationsTest() {
    database.setURL(
        "jdbc:h2:mem:invalidations_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    database.setUser("sa");
    AuditMigrations.migrateNow(database);
  }

  /** A server's invalidations and the events they fired. */
  private final class Server {
    final RecordingEvent<Invalidation> events = new RecordingEvent<>();
    final List<Invalidation> fired = events.fired;
    final Invalidations invalidations = new Invalidations();

    Server() {
      invalidations.dataSource = reachable();
      invalidations.events = events;
    }
  }

  @Test
  void anAnnouncementOnOneServerIsFiredOnceOnTheOther() {
    Server a = new Server();
    Server b = new Server();
    b.invalidations.catchUp();

    a.invalidations.announce("api-key", "k1");
    a.invalidations.announce("subject-key", "subject:x");
    b.invalidations.catchUp();
    b.invalidations.catchUp();

    assertThat(b.fired)
        .containsExactly(
            new Invalidation("api-key", "k1"), new Invalidation("subject-key", "subject:x"));
  }

  @Test
  void aRowWhoseTransactionCommittedLateIsStillFired() throws SQLException {
    Server b = new Server();
    b.invalidations.catchUp();
    // made 5 s ago (its transaction began then), visible only now
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "insert into cache_invalidation (topic, item, created_at)"
              + " values ('api-key', 'late', current_timestamp - interval '5' second)");
    }

    b.invalidations.catchUp();

    assertThat(b.fired).containsExactly(new Invalidation("api-key", "late"));
  }

  @Test
  void afterTheDatabaseWasAwayEveryCacheStartsOver() {
    Server a = new Server();
    Server b = new Server();
    b.invalidations.catchUp();

    databaseAway = true;
    assertThatThrownBy(b.invalidations::catchUp)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("could not read the cache invalidations");
    databaseAway = false;
    a.invalidations.announce("api-key", "k1");
    b.invalidations.catchUp();

    assertThat(b.fired).containsExactly(Invalidation.EVERYTHING);
    b.invalidations.catchUp();
    assertThat(b.fired).containsExactly(Invalidation.EVERYTHING);
  }

  @Test
  void anInvalidationCoversItsTopicAndItem() {
    assertThat(new Invalidation("api-key", "k1").covers("api-key", "k1")).isTrue();
    assertThat(new Invalidation("api-key", "k1").covers("api-key", "k2")).isFalse();
    assertThat(new Invalidation("api-key", "k1").covers("subject-key", "k1")).isFalse();
    assertThat(new Invalidation("api-key", null).covers("api-key", "k2")).isTrue();
    assertThat(Invalidation.EVERYTHING.covers("subject-key", "x")).isTrue();
    assertThat(Invalidation.EVERYTHING.all()).isTrue();
  }

  /** The database, or a refusal while {@link #databaseAway}. */
  private DataSource reachable() {
    return new DataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        if (databaseAway) {
          throw new SQLException("connection refused");
        }
        return database.getConnection();
      }

      @Override
      public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
      }

      @Override
      public PrintWriter getLogWriter() {
        return null;
      }

      @Override
      public void setLogWriter(PrintWriter out) {}

      @Override
      public void setLoginTimeout(int seconds) {}

      @Override
      public int getLoginTimeout() {
        return 0;
      }

      @Override
      public Logger getParentLogger() {
        return Logger.getGlobal();
      }

      @Override
      public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
      }

      @Override
      public boolean isWrapperFor(Class<?> iface) {
        return false;
      }
    };
  }
}
