package dev.warden.call;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The stored form of a call's PII counts ({@link CallFinished#piiFound()}): {@code
 * "EMAIL=2,PHONE=1"}, sorted by type, counts only, never values; {@code null} when none.
 */
public final class PiiCounts {
  private PiiCounts() {}

  public static String format(Map<String, Integer> counts) {
    if (counts == null || counts.isEmpty()) {
      return null;
    }
    return new TreeMap<>(counts)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  /** The counts of {@link #format}'s text; empty for {@code null}. */
  public static Map<String, Integer> parse(String text) {
    Map<String, Integer> counts = new TreeMap<>();
    if (text != null && !text.isEmpty()) {
      for (String pair : text.split(",")) {
        int eq = pair.lastIndexOf('=');
        counts.put(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)));
      }
    }
    return counts;
  }
}
