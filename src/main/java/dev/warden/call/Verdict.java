package dev.warden.call;

import java.util.List;

/**
 * The result of screening one text: a {@code score} in [0, 1], the ids of the rules that matched
 * (in rule order) and the {@code action} the configuration derives from the score. Holds no text.
 */
public record Verdict(double score, List<String> matchedRules, GuardAction action) {
  public Verdict {
    matchedRules = List.copyOf(matchedRules);
  }

  /** Whether the request must be refused. */
  public boolean blocked() {
    return action == GuardAction.BLOCK;
  }

  /** Whether the score reached the threshold (flagged or blocked). */
  public boolean suspicious() {
    return action != GuardAction.ALLOW;
  }
}
