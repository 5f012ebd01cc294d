package dev.warden.cost;

import dev.warden.config.PackagedConfigSource;
import java.util.Arrays;
import java.util.Map;

/**
 * The model table ({@code config/models.properties}) and the price table ({@code
 * config/prices.properties}), packaged as {@code META-INF/warden/*.properties}, as a MicroProfile
 * Config source with ordinal {@value #ORDINAL}: below Warden's own defaults (95), so every key can
 * be overridden by a system property, an environment variable or a {@code server.xml} variable.
 */
public final class CostConfigSource extends PackagedConfigSource {

  static final int ORDINAL = 90;
  static final String[] FILES = {"models.properties", "prices.properties"};

  public CostConfigSource() {
    this(
        load(
            CostConfigSource.class.getClassLoader(),
            Arrays.stream(FILES).map(f -> "META-INF/warden/" + f).toArray(String[]::new)));
  }

  CostConfigSource(Map<String, String> values) {
    super("warden-cost-tables", ORDINAL, values);
  }
}
