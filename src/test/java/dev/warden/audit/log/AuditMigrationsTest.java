package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

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
        .javaMigrations(new AuditMigrations.V2__SeedChainHead())
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
