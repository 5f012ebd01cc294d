package dev.warden.config;

import dev.warden.openai.OpenAiSettings;
import dev.warden.openai.stream.StreamSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Produces Warden's typed settings from MicroProfile Config, once per application. */
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

  // Records are final, so they cannot sit behind a normal-scope proxy: @Singleton is the
  // proxy-free way to read them once.
  @Produces
  @Singleton
  OpenAiSettings openAiSettings() {
    return OpenAiSettings.from(settings());
  }

  @Produces
  @Singleton
  StreamSettings streamSettings() {
    return StreamSettings.from(settings());
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
