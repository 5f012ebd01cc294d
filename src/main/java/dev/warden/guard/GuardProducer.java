package dev.warden.guard;

import dev.warden.config.ConfigProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Produces prompt-injection screening from MicroProfile Config ({@code warden.guard.*}), once per
 * application. Invalid values fail when the screener is first needed, naming the key.
 */
@ApplicationScoped
public class GuardProducer {

  // a final class cannot sit behind a normal-scope proxy: @Singleton reads it once
  @Produces
  @Singleton
  InjectionScreener injectionScreener() {
    return new InjectionScreener(GuardPolicy.from(ConfigProducer.settings()));
  }
}
