package dev.warden.pii;

import java.util.Objects;

/**
 * One detected value: the half-open character range {@code [start, end)} of the scanned text, its
 * {@link EntityType} and a priority used when detections overlap (higher wins; equal priorities go
 * to the longer match). Holds no text, so it is safe to log.
 */
public record Detection(int start, int end, EntityType type, int priority) {

  /** Priority of secrets: they win over anything they overlap. */
  public static final int PRIORITY_SECRET = 300;

  /** Priority of tenant patterns and dictionaries. */
  public static final int PRIORITY_CUSTOM = 200;

  /** Priority of the other built-in types. */
  public static final int PRIORITY_DEFAULT = 100;

  public Detection {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("Invalid range [" + start + ", " + end + ")");
    }
  }

  /** The length of the range. */
  public int length() {
    return end - start;
  }

  /** Whether the two ranges share at least one character. */
  public boolean overlaps(Detection other) {
    return start < other.end && other.start < end;
  }
}
