package dev.warden.cost;

import dev.warden.audit.log.AuditMigrations;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Independent JDBC stacks on one database, for budget tests: an in-memory H2 (PostgreSQL mode, as
 * the server's) or the PostgreSQL of the build ({@code db.kind=postgresql}, database {@code
 * db.name}). Each {@link #dataSource()} is a new, separate data source, as another server's would
 * be.
 */
final class BudgetDatabases {

  final String kind;
  private final String h2Name = "budgets_" + UUID.randomUUID().toString().replace("-", "");

  BudgetDatabases(String kind) {
    this.kind = kind;
  }

  /** The kind the build runs the integration tests on. */
  static BudgetDatabases ofBuild() {
    return new BudgetDatabases(System.getProperty("db.kind", "h2"));
  }

  DataSource dataSource() {
    if ("postgresql".equals(kind)) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setServerNames(new String[] {System.getProperty("db.host", "127.0.0.1")});
      ds.setPortNumbers(new int[] {Integer.getInteger("db.port", 5432)});
      ds.setDatabaseName(System.getProperty("db.name", "warden"));
      ds.setUser(System.getProperty("db.user", "postgres"));
      return ds;
    }
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(
        "jdbc:h2:mem:"
            + h2Name
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    return ds;
  }

  /** Applies Warden's migrations (as the server does at start). */
  void migrate() {
    AuditMigrations.migrateNow(dataSource());
  }
}
