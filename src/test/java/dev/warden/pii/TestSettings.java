package dev.warden.pii;

import dev.warden.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Settings over a map, for tests. */
final class TestSettings {
  private TestSettings() {}

  static Settings of(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return new Settings(k -> Optional.ofNullable(map.get(k)), map.keySet());
  }

  static PiiPolicy policy(String... keyValues) {
    return PiiPolicy.from(of(keyValues));
  }
}
