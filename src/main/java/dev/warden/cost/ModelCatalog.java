package dev.warden.cost;

import dev.warden.config.Settings;
import java.util.HashMap;
import java.util.Map;

/**
 * The model table: {@code warden.model.<model>.context-window}, {@code .max-output} and {@code
 * .encoding} (see {@code config/models.properties}). Model names may contain dots ({@code
 * gpt-4.1}), so keys are read from their end.
 */
public final class ModelCatalog {

  static final String PREFIX = "warden.model.";
  static final String DEFAULT = "default";
  static final int FALLBACK_MAX_OUTPUT = 4096;

  private final Map<String, Integer> contextWindows = new HashMap<>();
  private final Map<String, Integer> maxOutputs = new HashMap<>();
  private final Map<String, String> encodings = new HashMap<>();
  private final int defaultMaxOutput;

  private ModelCatalog(Settings settings) {
    for (String key : settings.names()) {
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String rest = key.substring(PREFIX.length());
      int dot = rest.lastIndexOf('.');
      if (dot <= 0) {
        continue;
      }
      String model = rest.substring(0, dot);
      String field = rest.substring(dot + 1);
      switch (field) {
        case "context-window":
          contextWindows.put(model, settings.integer(key, 0, 1));
          break;
        case "max-output":
          maxOutputs.put(model, settings.integer(key, 0, 0));
          break;
        case "encoding":
          encodings.put(model, TokenCounter.checkEncoding(key, settings.string(key, "")));
          break;
        default:
          // read-timeout and other per-model keys of other features
          break;
      }
    }
    Integer fallback = maxOutputs.remove(DEFAULT);
    this.defaultMaxOutput = fallback == null ? FALLBACK_MAX_OUTPUT : fallback;
  }

  public static ModelCatalog from(Settings settings) {
    return new ModelCatalog(settings);
  }

  /** Every model with an entry of its own (not {@code default}). */
  public java.util.Set<String> names() {
    java.util.Set<String> names = new java.util.TreeSet<>(contextWindows.keySet());
    names.addAll(maxOutputs.keySet());
    names.addAll(encodings.keySet());
    return names;
  }

  /** The limits of {@code model} (a configured name or a snapshot of one). */
  public ModelLimits limits(String model) {
    String window = ModelNames.match(contextWindows.keySet(), model).orElse(null);
    String output = ModelNames.match(maxOutputs.keySet(), model).orElse(null);
    String encoding = ModelNames.match(encodings.keySet(), model).orElse(null);
    return new ModelLimits(
        model,
        window == null ? null : contextWindows.get(window),
        output == null ? defaultMaxOutput : maxOutputs.get(output),
        encoding == null ? TokenCounter.encodingByFamily(model) : encodings.get(encoding));
  }
}
