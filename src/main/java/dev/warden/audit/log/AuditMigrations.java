package dev.warden.audit.log;

import dev.warden.audit.chain.ChainHead;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs Warden's Flyway migrations ({@value #LOCATION}, plus the Java migration {@link
 * V2__SeedChainHead}) once per class loader, with their history in {@value #HISTORY_TABLE}: names
 * of Warden's own, so that an application with Flyway migrations of its own ({@code db/migration},
 * {@code flyway_schema_history}) can keep them on the same database. Called both by {@link
 * MigrationsOnStart} (at application start) and by {@link MigrationsIntegrator} (before Hibernate
 * validates the schema, whichever comes first); the second call does nothing.
 */
public final class AuditMigrations {
  private static final Logger LOG = Logger.getLogger(AuditMigrations.class.getName());

  /** Where Warden's migrations are, on the class path of the library. */
  public static final String LOCATION = "classpath:dev/warden/db/migration";

  /** Flyway's history of Warden's migrations. */
  public static final String HISTORY_TABLE = "warden_schema_history";

  /** The history table of databases migrated before it had a name of Warden's own. */
  static final String LEGACY_HISTORY_TABLE = "flyway_schema_history";

  private static boolean done;

  private AuditMigrations() {}

  /**
   * Migrates the database of {@code dataSource} to the latest version, once.
   *
   * @throws org.flywaydb.core.api.FlywayException if a migration fails or the schema history does
   *     not match the migrations
   */
  public static synchronized void migrate(DataSource dataSource) {
    if (done) {
      return;
    }
    migrateNow(dataSource);
  }

  /**
   * Migrates the database of {@code dataSource} now, whether or not another database was migrated
   * already (tools and tests that open several databases in one JVM).
   *
   * @throws org.flywaydb.core.api.FlywayException if a migration fails
   */
  public static synchronized void migrateNow(DataSource dataSource) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(AuditMigrations.class.getClassLoader());
    try {
      adoptLegacyHistory(dataSource);
      MigrateResult result =
          Flyway.configure(AuditMigrations.class.getClassLoader())
              .dataSource(dataSource)
              // the folder's flyway.location (empty) lets Flyway find it inside a jar on Liberty
              .locations(LOCATION)
              .table(HISTORY_TABLE)
              // a schema that already holds an application's own tables is fine: Warden's
              // history starts below its first migration
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .failOnMissingLocations(true)
              .skipDefaultCallbacks(true)
              .javaMigrations(new V2__SeedChainHead(), new V59__AuditChains())
              // features own version ranges (audit V1-V9, cost V10-V19, PII V20-V29, typed services
              // V30-V39) and land independently: a database that already has a higher version
              // still takes a lower one that arrived later. Each migration touches only its own
              // feature's tables, so their order across features does not matter.
              .outOfOrder(true)
              .load()
              .migrate();
      LOG.log(
          Level.INFO,
          "WARDEN0301I: the audit schema is up to date ({0} migrations applied{1})",
          new Object[] {
            result.migrationsExecuted,
            result.targetSchemaVersion == null
                ? ""
                : ", now at version " + result.targetSchemaVersion
          });
      done = true;
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "WARDEN0302E: the audit schema migration failed", e);
      throw e;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /**
   * Renames the history table of a database that Warden migrated when it still used Flyway's
   * default name ({@value #LEGACY_HISTORY_TABLE}): only when that table holds Warden's own first
   * migration and {@value #HISTORY_TABLE} does not exist yet, so another application's history is
   * never taken.
   */
  static void adoptLegacyHistory(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      if (tableExists(c, HISTORY_TABLE) || !tableExists(c, LEGACY_HISTORY_TABLE)) {
        return;
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select count(*) from "
                      + LEGACY_HISTORY_TABLE
                      + " where version = '1' and description = 'audit log'")) {
        if (!rs.next() || rs.getLong(1) == 0) {
          return;
        }
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("alter table " + LEGACY_HISTORY_TABLE + " rename to " + HISTORY_TABLE);
      }
      LOG.log(
          Level.INFO,
          "WARDEN0303I: the migration history table {0} is now {1}",
          new Object[] {LEGACY_HISTORY_TABLE, HISTORY_TABLE});
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the migration history of the database", e);
    }
  }

  private static boolean tableExists(Connection c, String table) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
      try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Seeds the single chain head row with the genesis head (sequence 0, 32 zero bytes). */
  @SuppressWarnings("checkstyle:TypeName")
  public static final class V2__SeedChainHead extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
      try (PreparedStatement insert =
          context
              .getConnection()
              .prepareStatement("insert into audit_chain_head (id, seq, hash) values (1, ?, ?)")) {
        insert.setLong(1, ChainHead.GENESIS.sequence());
        insert.setBytes(2, ChainHead.GENESIS.hash());
        insert.executeUpdate();
      }
    }
  }

  /**
   * Partitions the audit log into chains: a {@code chain} column on records, checkpoints and purged
   * ranges (1 for every existing row: the log so far is the first chain), sequence numbers unique
   * per chain, one head row per chain, and the number of chains a checkpoint vouches for. A Java
   * migration because the primary keys of checkpoints and purged ranges change, and their names
   * differ between databases (read from the JDBC metadata).
   */
  @SuppressWarnings("checkstyle:TypeName")
  public static final class V59__AuditChains extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
      Connection c = context.getConnection();
      try (Statement s = c.createStatement()) {
        s.execute("alter table audit_record add column chain smallint default 1 not null");
        s.execute("alter table audit_record drop constraint audit_record_seq_uk");
        s.execute(
            "alter table audit_record add constraint audit_record_chain_seq_uk unique (chain,"
                + " seq)");
        s.execute("alter table audit_chain_head drop constraint audit_chain_head_single");
        s.execute(
            "alter table audit_chain_head add constraint audit_chain_head_id check (id >= 1)");
        s.execute("alter table audit_checkpoint add column chain smallint default 1 not null");
        s.execute("alter table audit_checkpoint add column chains smallint");
        dropPrimaryKey(c, s, "audit_checkpoint");
        s.execute(
            "alter table audit_checkpoint add constraint audit_checkpoint_pk primary key (chain,"
                + " seq)");
        s.execute("alter table audit_purged_range add column chain smallint default 1 not null");
        dropPrimaryKey(c, s, "audit_purged_range");
        s.execute(
            "alter table audit_purged_range add constraint audit_purged_range_pk primary key"
                + " (chain, from_seq)");
        s.execute("drop index audit_purged_range_to_ix");
        s.execute(
            "create unique index audit_purged_range_to_ix on audit_purged_range (chain, to_seq)");
        s.execute("alter table audit_verification add column break_chain smallint");
      }
    }

    private static void dropPrimaryKey(Connection c, Statement s, String table)
        throws SQLException {
      String name = null;
      DatabaseMetaData meta = c.getMetaData();
      for (String t : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
        try (ResultSet rs = meta.getPrimaryKeys(c.getCatalog(), c.getSchema(), t)) {
          if (rs.next()) {
            name = rs.getString("PK_NAME");
            break;
          }
        }
      }
      if (name == null) {
        throw new SQLException("the primary key of " + table + " was not found");
      }
      s.execute("alter table " + table + " drop constraint \"" + name + "\"");
    }
  }
}
