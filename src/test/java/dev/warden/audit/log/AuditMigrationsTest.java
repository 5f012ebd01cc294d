package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class AuditMigrationsTest {

  private static DataSource database() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(
        "jdbc:h2:mem:"
            + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    return ds;
  }

  private static long count(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean exists(DataSource ds, String table) throws Exception {
    return count(
            ds, "select count(*) from information_schema.tables where table_name = '" + table + "'")
        > 0;
  }

  @Test
  void aNewDatabaseKeepsWardensHistoryInATableOfItsOwn() throws Exception {
    DataSource ds = database();

    AuditMigrations.migrateNow(ds);

    assertThat(exists(ds, AuditMigrations.HISTORY_TABLE)).isTrue();
    assertThat(exists(ds, "flyway_schema_history")).isFalse();
    assertThat(count(ds, "select count(*) from audit_chain_head")).isEqualTo(1);
  }

  @Test
  void aDatabaseMigratedUnderFlywaysDefaultHistoryNameIsTakenOverWithoutMigratingAgain()
      throws Exception {
    DataSource ds = database();
    Flyway.configure(AuditMigrationsTest.class.getClassLoader())
        .dataSource(ds)
        .locations(AuditMigrations.LOCATION)
        .javaMigrations(
            new AuditMigrations.V2__SeedChainHead(), new AuditMigrations.V59__AuditChains())
        .outOfOrder(true)
        .load()
        .migrate();
    long applied = count(ds, "select count(*) from flyway_schema_history");

    AuditMigrations.migrateNow(ds);

    assertThat(exists(ds, "flyway_schema_history")).isFalse();
    assertThat(count(ds, "select count(*) from " + AuditMigrations.HISTORY_TABLE))
        .isEqualTo(applied);
    assertThat(count(ds, "select count(*) from audit_chain_head")).isEqualTo(1);
  }

  @Test
  void aLogFromBeforeChainsBecomesTheFirstChainAndTakesCheckpointsOfOtherChains() throws Exception {
    DataSource ds = database();
    Flyway.configure(AuditMigrationsTest.class.getClassLoader())
        .dataSource(ds)
        .locations(AuditMigrations.LOCATION)
        .table(AuditMigrations.HISTORY_TABLE)
        .javaMigrations(
            new AuditMigrations.V2__SeedChainHead(), new AuditMigrations.V59__AuditChains())
        .outOfOrder(true)
        .target("58")
        .load()
        .migrate();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "insert into audit_checkpoint (seq, hash, created_at, mac) values (7, X'01',"
              + " TIMESTAMP '2026-01-01 00:00:00', X'02')");
      s.executeUpdate(
          "insert into audit_purged_range (from_seq, to_seq, hash_before, hash_after,"
              + " created_at, mac) values (1, 3, X'01', X'02', TIMESTAMP '2026-01-01 00:00:00',"
              + " X'03')");
    }

    AuditMigrations.migrateNow(ds);

    assertThat(count(ds, "select count(*) from audit_checkpoint where chain = 1 and seq = 7"))
        .isEqualTo(1);
    assertThat(count(ds, "select count(*) from audit_checkpoint where chains is null"))
        .isEqualTo(1);
    assertThat(count(ds, "select count(*) from audit_purged_range where chain = 1")).isEqualTo(1);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      // sequence numbers are per chain now: chain 2 has its own 7, and its own range from 1
      s.executeUpdate("insert into audit_chain_head (id, seq, hash) values (2, 0, X'00')");
      s.executeUpdate(
          "insert into audit_checkpoint (chain, chains, seq, hash, created_at, mac) values (2,"
              + " 2, 7, X'01', TIMESTAMP '2026-01-01 00:00:00', X'02')");
      s.executeUpdate(
          "insert into audit_purged_range (chain, from_seq, to_seq, hash_before, hash_after,"
              + " created_at, mac) values (2, 1, 3, X'01', X'02', TIMESTAMP '2026-01-01 00:00:00',"
              + " X'03')");
      // and still unique within one
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "insert into audit_checkpoint (chain, seq, hash, created_at, mac) values"
                          + " (2, 7, X'01', TIMESTAMP '2026-01-01 00:00:00', X'02')"))
          .isInstanceOf(java.sql.SQLException.class);
    }
  }

  @Test
  void anotherApplicationsFlywayHistoryIsLeftAlone() throws Exception {
    DataSource ds = database();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "create table flyway_schema_history (installed_rank int, version varchar(50),"
              + " description varchar(200))");
      s.execute("insert into flyway_schema_history values (1, '1', 'orders')");
    }

    AuditMigrations.migrateNow(ds);

    assertThat(count(ds, "select count(*) from flyway_schema_history")).isEqualTo(1);
    assertThat(exists(ds, AuditMigrations.HISTORY_TABLE)).isTrue();
  }
}
