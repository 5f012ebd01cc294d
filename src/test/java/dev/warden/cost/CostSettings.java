package dev.warden.cost;

import dev.warden.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** Settings for tests: the shipped tables from {@code config/}, plus overrides. */
public final class CostSettings {
  private CostSettings() {}

  /** The shipped {@code config/models.properties} and {@code config/prices.properties}. */
  public static Map<String, String> shippedTables() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String file : CostConfigSource.FILES) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(Path.of("config", file))) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
    }
    return map;
  }

  public static Settings of(Map<String, String> base, String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return new Settings(k -> Optional.ofNullable(map.get(k)), map.keySet());
  }

  public static Settings shipped(String... keyValues) {
    return of(shippedTables(), keyValues);
  }

  public static Settings only(String... keyValues) {
    return of(Map.of(), keyValues);
  }
}
