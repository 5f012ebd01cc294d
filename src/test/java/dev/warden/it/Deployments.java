package dev.warden.it;

import java.io.File;
import java.net.URISyntaxException;
import org.awaitility.Awaitility;
import org.hamcrest.Matcher;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR the build produced, as Arquillian deploys it, plus the test helpers it needs. */
final class Deployments {
  private Deployments() {}

  /** {@link #warden()} with AssertJ, for tests whose assertions run inside Liberty. */
  static WebArchive wardenWithAssertJ() throws Exception {
    return warden()
        .addAsLibraries(
            new File(
                org.assertj.core.api.Assertions.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI()));
  }

  static WebArchive warden() {
    File war = new File(System.getProperty("warden.war", "target/warden.war"));
    return ShrinkWrap.createFromZipFile(WebArchive.class, war)
        .addClasses(
            MockAdmin.class,
            RecordingSleeper.class,
            JpaProbe.class,
            CallLog.class,
            CostRows.class,
            WardenIntegrationTest.class,
            WardenHttp.class,
            TestCredentials.class,
            TestJwts.class,
            StreamingIT.Collector.class,
            Deployments.class)
        // tests inside Liberty wait for asynchronous effects with Awaitility (and its Hamcrest)
        .addAsLibraries(jarOf(Awaitility.class), jarOf(Matcher.class));
  }

  /** The jar on the test class path that holds {@code type}. */
  private static File jarOf(Class<?> type) {
    try {
      return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(type.getName(), e);
    }
  }
}
