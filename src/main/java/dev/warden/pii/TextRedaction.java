package dev.warden.pii;

import java.util.Map;

/**
 * The result of redacting one text: the redacted {@code text} and how many values of each entity
 * type (by name) were replaced. {@link #toString()} shows the counts only.
 */
public record TextRedaction(String text, Map<String, Integer> counts) {
  public TextRedaction {
    counts = Map.copyOf(counts);
  }

  /** Whether anything was replaced. */
  public boolean changed() {
    return !counts.isEmpty();
  }

  @Override
  public String toString() {
    return "TextRedaction[counts=" + counts + "]";
  }
}
