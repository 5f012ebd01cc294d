package dev.warden.pii;

import dev.warden.config.ConfigProducer;
import dev.warden.crypto.SubjectPseudonyms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Produces PII redaction from MicroProfile Config ({@code warden.pii.*}), once per application.
 * Invalid values fail when the engine is first needed, naming the key. Without a configured hash
 * key, the {@code hash} action's key is derived from the subject pseudonym key ({@link
 * SubjectPseudonyms#derivedKey}), so its tokens are the same on every server and after restarts.
 */
@ApplicationScoped
public class PiiProducer {

  /** The purpose of the hash key derived from the pseudonym key. */
  static final String DERIVED_HASH_KEY = "warden.pii.hash";

  @Inject Instance<SubjectPseudonyms> pseudonyms;

  // final classes cannot sit behind a normal-scope proxy: @Singleton reads them once
  @Produces
  @Singleton
  PiiEngine piiEngine() {
    PiiPolicy policy = PiiPolicy.from(ConfigProducer.settings());
    if (!policy.hashKeyConfigured() && pseudonyms.isResolvable()) {
      policy = policy.withHashKey(pseudonyms.get().derivedKey(DERIVED_HASH_KEY));
    }
    return new PiiEngine(policy);
  }

  @Produces
  @Singleton
  RequestRedactor requestRedactor(PiiEngine engine) {
    return new RequestRedactor(engine);
  }
}
