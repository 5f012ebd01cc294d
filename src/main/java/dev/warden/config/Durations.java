package dev.warden.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads durations from configuration: ISO-8601 ({@code PT30S}) or a number with a unit. */
public final class Durations {
  private Durations() {}

  /**
   * Parses {@code PT1.5S}, {@code 1500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a bare number of
   * milliseconds.
   *
   * @throws IllegalArgumentException naming {@code key} when the value is not a non-negative
   *     duration
   */
  public static Duration parse(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.startsWith("pt") || v.startsWith("p")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      } else if (v.endsWith("s")) {
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      } else if (v.endsWith("m")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()) * 60);
      } else if (v.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else {
        d = Duration.ofMillis(Long.parseLong(v));
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException(key + " must not be negative: " + value);
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          key + " is not a duration (use e.g. PT30S, 30s, 500ms): " + value, e);
    }
  }
}
