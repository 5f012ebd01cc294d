package dev.warden.pii;

import java.util.Map;

/**
 * A redacted copy of a request (or file) and how many values of each entity type (by name) were
 * replaced in it. {@link #toString()} shows the counts only.
 *
 * @param <T> the redacted value's type
 */
public record Redacted<T>(T value, Map<String, Integer> counts) {
  public Redacted {
    counts = Map.copyOf(counts);
  }

  /** The total number of replaced values. */
  public int total() {
    int total = 0;
    for (int c : counts.values()) {
      total += c;
    }
    return total;
  }

  @Override
  public String toString() {
    return "Redacted[counts=" + counts + "]";
  }
}
