package dev.warden.audit.log;

import dev.warden.audit.chain.ChainHead;
import java.sql.PreparedStatement;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs Warden's Flyway migrations ({@code classpath:db/migration}, plus the Java migration {@link
 * V2__SeedChainHead}) once per class loader. Called both by {@link MigrationsOnStart} (at
 * application start) and by {@link MigrationsIntegrator} (before Hibernate validates the schema,
 * whichever comes first); the second call does nothing.
 */
public final class AuditMigrations {
  private static final Logger LOG = Logger.getLogger(AuditMigrations.class.getName());
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
      MigrateResult result =
          Flyway.configure(AuditMigrations.class.getClassLoader())
              .dataSource(dataSource)
              // db/migration/flyway.location and db/callback/flyway.location (empty) let Flyway
              // find these folders on Liberty
              .locations("classpath:db/migration")
              .failOnMissingLocations(true)
              .skipDefaultCallbacks(true)
              .javaMigrations(new V2__SeedChainHead())
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
}
