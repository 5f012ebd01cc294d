package dev.warden.pii;

import java.util.List;

/**
 * Finds sensitive values in a text. Implementations are immutable and thread-safe, add their
 * findings to {@code out} (in any order, overlaps allowed: the engine resolves them) and never keep
 * or log the text.
 */
@FunctionalInterface
public interface Detector {

  /** Adds every detection found in {@code text} to {@code out}. */
  void detect(String text, List<Detection> out);
}
