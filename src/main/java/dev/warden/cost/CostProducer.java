package dev.warden.cost;

import dev.warden.config.ConfigProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Produces the cost tables and policies from MicroProfile Config once per application (the tables
 * come from {@link CostConfigSource}); invalid entries fail when first needed, naming the key.
 */
@ApplicationScoped
public class CostProducer {

  // final classes cannot sit behind a normal-scope proxy: @Singleton, as in ConfigProducer
  @Produces
  @Singleton
  ModelCatalog modelCatalog() {
    return ModelCatalog.from(ConfigProducer.settings());
  }

  @Produces
  @Singleton
  TokenCounter tokenCounter(ModelCatalog catalog) {
    return new TokenCounter(catalog);
  }

  @Produces
  @Singleton
  PriceTable priceTable() {
    return PriceTable.from(ConfigProducer.settings());
  }

  @Produces
  @Singleton
  KnownModels knownModels(ModelCatalog catalog, PriceTable prices) {
    return new KnownModels(catalog, prices, ConfigProducer.settings());
  }

  @Produces
  @Singleton
  BudgetPolicy budgetPolicy() {
    return BudgetPolicy.from(ConfigProducer.settings());
  }

  @Produces
  @Singleton
  RateLimitPolicy rateLimitPolicy() {
    return RateLimitPolicy.from(ConfigProducer.settings());
  }

  /** In memory, or in the store every server shares ({@link SharedRateBuckets#inUse()}). */
  @Produces
  @Singleton
  RateLimits rateLimits(Clock clock, SharedRateBuckets shared) {
    return shared.inUse() ? shared.limits() : new RateLimiter(clock);
  }
}
