package dev.warden.guard;

import dev.warden.call.GuardAction;
import dev.warden.config.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The prompt-injection screening configuration, immutable.
 *
 * <table>
 *   <caption>Configuration keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code warden.guard.enabled}</td><td>{@code true}</td>
 *       <td>{@code false}: every verdict is {@code ALLOW} with score 0</td></tr>
 *   <tr><td>{@code warden.guard.threshold}</td><td>{@code 0.5}</td>
 *       <td>score (0-1) from which the action applies</td></tr>
 *   <tr><td>{@code warden.guard.action}</td><td>{@code flag}</td>
 *       <td>{@code flag} (pass and record) or {@code block} (refuse) at or above the
 *           threshold</td></tr>
 *   <tr><td>{@code warden.guard.rule.<id>.weight}</td><td>the rule's built-in weight</td>
 *       <td>override one rule's weight (0-1; 0 disables it), for example
 *           {@code warden.guard.rule.encoded.base64.weight=0}</td></tr>
 * </table>
 */
public final class GuardPolicy {

  static final String PREFIX = "warden.guard.";

  private final boolean enabled;
  private final double threshold;
  private final GuardAction action;
  private final Map<String, Double> weights;

  private GuardPolicy(
      boolean enabled, double threshold, GuardAction action, Map<String, Double> weights) {
    this.enabled = enabled;
    this.threshold = threshold;
    this.action = action;
    this.weights = weights;
  }

  /** The defaults: enabled, threshold 0.5, action flag. */
  public static GuardPolicy defaults() {
    return from(new Settings(k -> Optional.empty(), List.of()));
  }

  /**
   * Reads the policy from {@code settings} (keys under {@code warden.guard.}).
   *
   * @throws IllegalArgumentException naming the key of an invalid value
   */
  public static GuardPolicy from(Settings settings) {
    String enabled = settings.string(PREFIX + "enabled", "true").toLowerCase(Locale.ROOT);
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new IllegalArgumentException(PREFIX + "enabled must be true or false");
    }
    double threshold = settings.decimal(PREFIX + "threshold", 0.5, 0.0, 1.0);
    String action = settings.string(PREFIX + "action", "flag").toLowerCase(Locale.ROOT);
    GuardAction a;
    if (action.equals("flag")) {
      a = GuardAction.FLAG;
    } else if (action.equals("block")) {
      a = GuardAction.BLOCK;
    } else {
      throw new IllegalArgumentException(PREFIX + "action must be flag or block: " + action);
    }
    Map<String, Double> weights = new HashMap<>();
    Iterable<String> names = settings.names();
    if (names != null) {
      for (String key : names) {
        if (key.startsWith(PREFIX + "rule.") && key.endsWith(".weight")) {
          String id = key.substring(PREFIX.length() + 5, key.length() - 7);
          weights.put(id, settings.decimal(key, 0.0, 0.0, 1.0));
        }
      }
    }
    return new GuardPolicy(enabled.equals("true"), threshold, a, Map.copyOf(weights));
  }

  /** Whether screening is on. */
  public boolean enabled() {
    return enabled;
  }

  /** The score from which {@link #action()} applies. */
  public double threshold() {
    return threshold;
  }

  /** {@link GuardAction#FLAG} or {@link GuardAction#BLOCK}. */
  public GuardAction action() {
    return action;
  }

  /** The configured weight of a rule, or {@code fallback}. */
  double weight(String ruleId, double fallback) {
    return weights.getOrDefault(ruleId, fallback);
  }

  @Override
  public String toString() {
    return "GuardPolicy[enabled="
        + enabled
        + ", threshold="
        + threshold
        + ", action="
        + action
        + ", weights="
        + weights
        + "]";
  }
}
