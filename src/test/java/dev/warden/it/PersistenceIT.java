package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
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
}
