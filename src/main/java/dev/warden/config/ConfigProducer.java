package dev.warden.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads Warden's settings from MicroProfile Config and produces the clock. Each package produces
 * its own typed settings from {@link #settings()} (a producer lives with what it produces).
 */
@ApplicationScoped
public class ConfigProducer {

  /** A {@link Settings} view of MicroProfile Config; values are read when asked. */
  public static Settings settings() {
    Config config = ConfigProvider.getConfig();
    // the names only when iterated: listing every source's names costs more than a whole lookup,
    // and most readers never ask for them
    return new Settings(
        key -> config.getOptionalValue(key, String.class),
        () -> config.getPropertyNames().iterator());
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
