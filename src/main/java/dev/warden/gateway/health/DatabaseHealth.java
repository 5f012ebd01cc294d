package dev.warden.gateway.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the database (audit log, usage, vaults): a connection that answers within two
 * seconds. Without it no call can be audited, so none is served.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

  @Resource(lookup = "jdbc/warden")
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    try (Connection c = dataSource.getConnection()) {
      return new HealthCheckResponse("database", status(c.isValid(2)), Optional.empty());
    } catch (SQLException | RuntimeException e) {
      return new HealthCheckResponse(
          "database", Status.DOWN, Optional.of(Map.of("error", e.getClass().getSimpleName())));
    }
  }

  static Status status(boolean up) {
    return up ? Status.UP : Status.DOWN;
  }
}
