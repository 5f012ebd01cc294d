package dev.warden.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads over a key-value source (MicroProfile Config in the server, a map in unit tests),
 * with errors that name the key. Empty values count as absent, as in MicroProfile Config.
 */
public final class Settings {
  private final Function<String, Optional<String>> source;
  private final Iterable<String> names;

  public Settings(Function<String, Optional<String>> source, Iterable<String> names) {
    this.source = source;
    this.names = names;
  }

  public Optional<String> string(String key) {
    return source.apply(key).map(String::trim).filter(s -> !s.isEmpty());
  }

  public String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  public int integer(String key, int fallback, int min) {
    Optional<String> value = string(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.get());
      if (n < min) {
        throw new IllegalArgumentException(key + " must be at least " + min + ": " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a whole number: " + value.get(), e);
    }
  }

  public double decimal(String key, double fallback, double min, double max) {
    Optional<String> value = string(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(value.get());
      if (d < min || d > max) {
        throw new IllegalArgumentException(key + " must be between " + min + " and " + max);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number: " + value.get(), e);
    }
  }

  public Duration duration(String key, Duration fallback) {
    return string(key).map(v -> Durations.parse(key, v)).orElse(fallback);
  }

  public List<String> list(String key) {
    return string(key)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  public Iterable<String> names() {
    return names;
  }
}
