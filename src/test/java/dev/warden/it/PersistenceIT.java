package dev.warden.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.cluster.H2Housekeeping;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Hibernate ORM is the JPA provider, on the database the build selected (H2 or PostgreSQL). */
class PersistenceIT extends WardenIntegrationTest {

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject JpaProbe jpa;

  @Inject H2Housekeeping housekeeping;

  @Resource(lookup = "jdbc/warden")
  DataSource dataSource;

  @Test
  void hibernateIsTheProviderAndTheDatabaseAnswers() {
    EntityManager em = jpa.entityManager();
    assertTrue(
        em.getDelegate().getClass().getName().startsWith("org.hibernate"),
        em.getDelegate().getClass().getName());
    Object one = em.createNativeQuery("select 1").getSingleResult();
    assertEquals(1, ((Number) one).intValue());
  }

  @Test
  void theSelectedDatabaseIsTheOneInUse() throws Exception {
    String expected = System.getProperty("warden.it.db.kind", "h2");
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
      assertTrue(product.contains(expected), product + " is not " + expected);
    }
  }

  /**
   * On H2, the store's housekeeping (which WRITE_DELAY=0 takes from H2's background writer) runs
   * through its alias, at the start and then every interval (200 ms); on PostgreSQL nothing is
   * installed.
   */
  @Test
  void h2sStoreIsKeptByItsHousekeepingAndNoOtherDatabaseIsTouched() throws Exception {
    boolean h2 = "h2".equals(System.getProperty("warden.it.db.kind", "h2"));
    if (!h2) {
      // the start, which would have run the first pass, is over before any test runs
      assertEquals(0, housekeeping.passes());
      return;
    }
    long before = housekeeping.passes();
    assertTrue(before >= 1, "no pass at the start");
    await().atMost(Duration.ofSeconds(10)).until(() -> housekeeping.passes() >= before + 2);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from information_schema.routines"
                    + " where lower(routine_name) = 'warden_h2_housekeeping'")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
  }
}
