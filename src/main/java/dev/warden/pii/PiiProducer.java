package dev.warden.pii;

import dev.warden.config.ConfigProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Produces PII redaction from MicroProfile Config ({@code warden.pii.*}), once per application.
 * Invalid values fail when the engine is first needed, naming the key.
 */
@ApplicationScoped
public class PiiProducer {

  // final classes cannot sit behind a normal-scope proxy: @Singleton reads them once
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
}
