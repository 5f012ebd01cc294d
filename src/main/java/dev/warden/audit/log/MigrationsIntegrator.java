package dev.warden.audit.log;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;

/**
 * Runs the Flyway migrations when Hibernate builds the persistence unit, before its schema
 * validation ({@code hibernate.hbm2ddl.auto=validate}), which Liberty may do before CDI starts.
 * Registered in {@code META-INF/services/org.hibernate.integrator.spi.Integrator}.
 */
public final class MigrationsIntegrator implements Integrator {

  /**
   * Hibernate setting: {@code false} skips the migration here (a tool or test that builds its own
   * session factory outside Liberty and migrates its database itself).
   */
  public static final String ENABLED = "warden.migrations-integrator";

  @Override
  public void integrate(
      Metadata metadata,
      BootstrapContext bootstrapContext,
      SessionFactoryImplementor sessionFactory) {
    Object enabled = sessionFactory.getProperties().get(ENABLED);
    if (enabled != null && "false".equals(enabled.toString())) {
      return;
    }
    DataSource dataSource;
    try {
      dataSource = (DataSource) new InitialContext().lookup(AuditRequirements.DATA_SOURCE);
    } catch (NamingException e) {
      throw new IllegalStateException(AuditRequirements.DATA_SOURCE + " is not bound", e);
    }
    AuditMigrations.migrate(dataSource);
  }

  @Override
  public void disintegrate(
      SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
    // nothing to undo
  }
}
