package dev.warden.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.log.AuditMigrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Servers' leases on one database (an in-memory H2, as the server's). */
class ServerLeasesTest {

  private final JdbcDataSource database = new JdbcDataSource();
  private final List<String> recovered = new ArrayList<>();
  private boolean recoveryFails;

  ServerLeasesTest() {
    database.setURL(
        "jdbc:h2:mem:leases_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    database.setUser("sa");
    AuditMigrations.migrateNow(database);
  }

  private ServerLeases server(String name) {
    ServerLeases s =
        new ServerLeases() {
          @Override
          public String name() {
            return name;
          }
        };
    s.dataSource = database;
    s.expiry = Duration.ofSeconds(3);
    s.gone =
        new RecordingEvent<ServerGone>(
            g -> {
              if (recoveryFails) {
                throw new IllegalStateException("the database went away");
              }
              recovered.add(name + " recovers " + g.name());
            });
    return s;
  }

  /** Makes {@code name}'s lease as old as if it had not renewed for {@code seconds}. */
  private void age(String name, int seconds) throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "update warden_server set renewed_at = current_timestamp - interval '"
              + seconds
              + "' second where name = '"
              + name
              + "'");
    }
  }

  private List<String> leases() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select name from warden_server order by name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void aLiveServersLeaseIsNeverClaimed() throws Exception {
    ServerLeases a = server("a");
    ServerLeases b = server("b");
    a.renew();
    b.renew();
    age("a", 2);

    b.tick();

    assertThat(recovered).isEmpty();
    assertThat(leases()).containsExactly("a", "b");
  }

  @Test
  void anExpiredLeaseIsClaimedByOneServerOnlyWhichRecoversIt() throws Exception {
    ServerLeases a = server("a");
    ServerLeases b = server("b");
    ServerLeases c = server("c");
    a.renew();
    b.renew();
    c.renew();
    age("a", 10);

    b.tick();
    c.tick();

    assertThat(recovered).containsExactly("b recovers a");
    assertThat(leases()).containsExactly("b", "c");
    // a comes back: it takes a lease again
    a.renew();
    assertThat(leases()).containsExactly("a", "b", "c");
  }

  @Test
  void aFailedRecoveryIsClaimedAndTriedAgain() throws Exception {
    ServerLeases a = server("a");
    ServerLeases b = server("b");
    a.renew();
    b.renew();
    age("a", 10);
    recoveryFails = true;

    b.tick();

    assertThat(recovered).isEmpty();
    assertThat(leases()).containsExactly("a", "b");
    recoveryFails = false;
    b.tick();
    assertThat(recovered).containsExactly("b recovers a");
    assertThat(leases()).containsExactly("b");
  }
}
