package dev.warden.ai;

import dev.warden.config.Settings;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A use case's routing: its models cheapest first ({@code warden.route.<use-case>.models}), the
 * confidence field of the JSON answer and its threshold ({@code .confidence-field}, {@code
 * .min-confidence}), and the default {@code max_completion_tokens} ({@code .max-completion-tokens})
 * for requests that set none.
 */
public record Route(
    String useCase,
    List<String> models,
    String confidenceField,
    BigDecimal minConfidence,
    Integer maxCompletionTokens) {

  static final String PREFIX = "warden.route.";

  public Route {
    models = List.copyOf(models);
  }

  /** The route of {@code useCase}, empty when it has no models configured. */
  public static Optional<Route> of(Settings settings, String useCase) {
    String p = PREFIX + useCase + ".";
    List<String> models = settings.list(p + "models");
    if (models.isEmpty()) {
      return Optional.empty();
    }
    String field = settings.string(p + "confidence-field").orElse(null);
    BigDecimal min =
        new BigDecimal(String.valueOf(settings.decimal(p + "min-confidence", 0, 0, 1)));
    Integer max =
        settings.string(p + "max-completion-tokens").isPresent()
            ? settings.integer(p + "max-completion-tokens", 0, 1)
            : null;
    return Optional.of(new Route(useCase, models, field, min, max));
  }
}
