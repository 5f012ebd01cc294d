package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warden.openai.OpenAiSettings;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside Liberty: the defaults of {@code config/warden.properties} are part of the application's
 * MicroProfile Config (the per-model read timeouts included), and the gateway WAR's own {@code
 * microprofile-config.properties} is read too.
 */
@ExtendWith(ArquillianExtension.class)
class WardenDefaultsIT {

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject OpenAiSettings openAiSettings;

  @Test
  void defaultsFromTheLibraryAreSeenThroughMicroProfileConfig() {
    Config config = ConfigProvider.getConfig();
    assertEquals("PT10M", config.getValue("warden.openai.models.o3.read-timeout", String.class));
    assertEquals(Duration.ofMinutes(10), openAiSettings.readTimeoutFor("o3"));
    // a system property of the IT server still wins over a default
    assertEquals(4, config.getValue("warden.openai.max-connections", Integer.class));
  }

  @Test
  void theGatewaysOwnConfigurationIsRead() {
    assertEquals(
        "dev.warden.gateway",
        ConfigProvider.getConfig().getValue("mp.openapi.scan.packages", String.class));
  }
}
