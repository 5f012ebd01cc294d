package dev.warden.config;

import dev.warden.guard.GuardPolicy;
import dev.warden.guard.InjectionScreener;
import dev.warden.pii.PiiEngine;
import dev.warden.pii.PiiPolicy;
import dev.warden.pii.RequestRedactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Produces the request pipeline's policy engines from MicroProfile Config, once per application:
 * PII redaction ({@code warden.pii.*}) and prompt-injection screening ({@code warden.guard.*}).
 * Invalid values fail when the engines are first needed, naming the key.
 */
@ApplicationScoped
public class PolicyProducer {

  // final classes cannot sit behind a normal-scope proxy: @Singleton, as in ConfigProducer
  @Produces
  @Singleton
  PiiEngine piiEngine() {
    return new PiiEngine(PiiPolicy.from(ConfigProducer.settings()));
  }

  @Produces
  @Singleton
  RequestRedactor requestRedactor(PiiEngine engine) {
    return new RequestRedactor(engine);
  }

  @Produces
  @Singleton
  InjectionScreener injectionScreener() {
    return new InjectionScreener(GuardPolicy.from(ConfigProducer.settings()));
  }
}
