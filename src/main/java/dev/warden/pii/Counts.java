package dev.warden.pii;

import java.util.Map;
import java.util.TreeMap;

/** A mutable per-type counter for one redaction; not thread-safe. Package-internal. */
final class Counts {
  private final Map<String, Integer> counts = new TreeMap<>();

  void add(EntityType type) {
    counts.merge(type.name(), 1, Integer::sum);
  }

  Map<String, Integer> snapshot() {
    return Map.copyOf(counts);
  }
}
