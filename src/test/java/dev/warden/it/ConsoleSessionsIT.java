package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.console.ConsoleSession;
import dev.warden.gateway.console.ConsoleSessions;
import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.Role;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Console sessions in the database (inside Liberty): only a hash of the cookie's token is stored, a
 * session is found by its token until it expires, and expired sessions are purged.
 */
class ConsoleSessionsIT extends WardenIntegrationTest {

  @Deployment
  static WebArchive deployment() throws Exception {
    return Deployments.wardenWithAssertJ();
  }

  @Inject ConsoleSessions sessions;
  @Inject Clock clock;

  @Resource(lookup = "jdbc/warden")
  DataSource dataSource;

  private static final Identity AUDITOR =
      new Identity("sessions-it@acme", "acme", Set.of(Role.AUDITOR), null, null, "oidc");

  @Test
  void onlyTheTokensHashIsStoredAndTheSessionIsFoundByItsToken() throws Exception {
    ConsoleSessions.Created created = sessions.create(AUDITOR, "oidc");
    String token = created.token();
    List<String> stored = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select id, principal, roles from console_session where principal = ?")) {
      q.setString(1, AUDITOR.principal());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    assertThat(stored).isNotEmpty().noneMatch(row -> row.contains(token));
    assertThat(stored).anyMatch(row -> row.endsWith("sessions-it@acme auditor"));

    ConsoleSession found = sessions.find(token).orElseThrow();
    assertThat(found.principal()).isEqualTo("sessions-it@acme");
    assertThat(found.tenant()).isEqualTo("acme");
    assertThat(found.roles()).containsExactly(Role.AUDITOR);
    assertThat(found.method()).isEqualTo("oidc");
    assertThat(found.csrfToken()).isEqualTo(created.session().csrfToken()).isNotEqualTo(token);
    assertThat(found.identity().method()).isEqualTo("console");
    assertThat(found.expiresAt()).isAfter(clock.instant());
    assertThat(sessions.find(token + "x")).isEmpty();
    assertThat(sessions.find(null)).isEmpty();

    assertThat(sessions.delete(token)).isTrue();
    assertThat(sessions.find(token)).isEmpty();
    assertThat(sessions.delete(token)).isFalse();
  }

  @Test
  void expiredSessionsArePurged() {
    String kept = sessions.create(AUDITOR, "dev").token();
    // nothing has expired yet
    sessions.purgeExpired(clock.instant());
    assertThat(sessions.find(kept)).isPresent();
    // past the idle timeout (30 minutes by default), every session of now has expired
    int purged = sessions.purgeExpired(clock.instant().plus(Duration.ofMinutes(31)));
    assertThat(purged).isGreaterThanOrEqualTo(1);
    assertThat(sessions.find(kept)).isEmpty();
  }
}
