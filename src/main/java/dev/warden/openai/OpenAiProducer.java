package dev.warden.openai;

import dev.warden.config.ConfigProducer;
import dev.warden.openai.stream.StreamSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Produces the upstream client's settings from MicroProfile Config, once per application. */
@ApplicationScoped
public class OpenAiProducer {

  // Records are final, so they cannot sit behind a normal-scope proxy: @Singleton is the
  // proxy-free way to read them once.
  @Produces
  @Singleton
  OpenAiSettings openAiSettings() {
    return OpenAiSettings.from(ConfigProducer.settings());
  }

  @Produces
  @Singleton
  Upstreams upstreams(OpenAiSettings openAi) {
    return Upstreams.from(ConfigProducer.settings(), openAi);
  }

  @Produces
  @Singleton
  StreamSettings streamSettings() {
    return StreamSettings.from(ConfigProducer.settings());
  }
}
