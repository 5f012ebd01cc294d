package dev.warden.audit.log;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import javax.sql.DataSource;

/**
 * Runs the Flyway migrations when the application starts, before any audit record is written (a
 * failure stops the deployment).
 */
@ApplicationScoped
public class MigrationsOnStart {

  @Resource(lookup = "jdbc/warden")
  DataSource dataSource;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    AuditMigrations.migrate(dataSource);
  }
}
