package dev.warden.ai.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Liberty features the library needs in an application's server, each known by a class of its
 * API that the application's class loader sees only when the feature is enabled.
 */
final class RequiredFeatures {

  /** Feature, and a class its API provides. */
  static final Map<String, String> FEATURES = new LinkedHashMap<>();

  static {
    FEATURES.put("cdi-4.0", "jakarta.enterprise.inject.spi.InterceptionFactory");
    FEATURES.put("servlet-6.0", "jakarta.servlet.http.HttpServletRequest");
    FEATURES.put("jsonp-2.1", "jakarta.json.Json");
    FEATURES.put("jsonb-3.0", "jakarta.json.bind.Jsonb");
    FEATURES.put("beanValidation-3.0", "jakarta.validation.Validation");
    FEATURES.put("persistenceContainer-3.1", "jakarta.persistence.EntityManager");
    FEATURES.put("concurrent-3.0", "jakarta.enterprise.concurrent.ManagedExecutorService");
    FEATURES.put("mpConfig-3.1", "org.eclipse.microprofile.config.ConfigProvider");
    FEATURES.put("mpRestClient-4.0", "org.eclipse.microprofile.rest.client.RestClientBuilder");
    FEATURES.put("mpFaultTolerance-4.1", "org.eclipse.microprofile.faulttolerance.Retry");
  }

  private RequiredFeatures() {}

  /** The features whose API {@code loader} does not see. */
  static List<String> missing(ClassLoader loader) {
    List<String> missing = new ArrayList<>();
    FEATURES.forEach(
        (feature, probe) -> {
          try {
            Class.forName(probe, false, loader);
          } catch (ClassNotFoundException | LinkageError e) {
            missing.add(feature);
          }
        });
    return missing;
  }
}
