package dev.warden.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class DatabaseHealthTest {

  @Test
  void aDatabaseThatCannotBeReachedMakesWardenNotReady() {
    DatabaseHealth health = new DatabaseHealth();
    health.dataSource =
        (DataSource)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  throw new SQLException("Connection refused");
                });

    HealthCheckResponse response = health.call();

    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(response.getData().orElseThrow()).containsEntry("error", "SQLException");
  }
}
