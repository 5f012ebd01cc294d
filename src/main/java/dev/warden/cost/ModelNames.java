package dev.warden.cost;

import java.util.Collection;
import java.util.Optional;

/** Finds the configured entry of a model name: exact, else the longest configured prefix. */
final class ModelNames {
  private ModelNames() {}

  /**
   * The configured name that {@code model} is, or starts with followed by {@code -} (a snapshot
   * such as {@code gpt-4o-2024-08-06} of {@code gpt-4o}); the longest wins, so {@code
   * gpt-4o-mini-2024-07-18} is {@code gpt-4o-mini}, not {@code gpt-4o}.
   */
  static Optional<String> match(Collection<String> configured, String model) {
    if (model == null) {
      return Optional.empty();
    }
    String best = null;
    for (String name : configured) {
      if (model.equals(name)) {
        return Optional.of(name);
      }
      if (model.startsWith(name + "-") && (best == null || name.length() > best.length())) {
        best = name;
      }
    }
    return Optional.ofNullable(best);
  }
}
