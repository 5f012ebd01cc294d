package dev.warden.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR the build produced, as Arquillian deploys it, plus the test helpers it needs. */
final class Deployments {
  private Deployments() {}

  static WebArchive warden() {
    File war = new File(System.getProperty("warden.war", "target/warden.war"));
    return ShrinkWrap.createFromZipFile(WebArchive.class, war)
        .addClasses(
            MockAdmin.class,
            RecordingSleeper.class,
            JpaProbe.class,
            CallLog.class,
            CostRows.class,
            InContainerTest.class,
            TestCredentials.class,
            StreamingIT.Collector.class,
            TestCredentials.class,
            Deployments.class);
  }
}
