package dev.warden.config;

import java.util.Map;

/**
 * Warden's defaults ({@code config/warden.properties}, packaged as {@value #RESOURCE} in the
 * library jar) as a MicroProfile Config source with ordinal {@value #ORDINAL}: below an
 * application's own {@code META-INF/microprofile-config.properties} (100), environment variables
 * (300) and system properties (400), so each of them overrides any default. Registered through
 * {@code META-INF/services/org.eclipse.microprofile.config.spi.ConfigSource}.
 */
public final class WardenDefaultsConfigSource extends PackagedConfigSource {

  /** Where the defaults are on the class path. */
  public static final String RESOURCE = "META-INF/warden/warden.properties";

  /** Below {@code microprofile-config.properties} (100), above the cost tables (90). */
  public static final int ORDINAL = 95;

  public WardenDefaultsConfigSource() {
    this(load(WardenDefaultsConfigSource.class.getClassLoader(), RESOURCE));
  }

  WardenDefaultsConfigSource(Map<String, String> values) {
    super("warden-defaults", ORDINAL, values);
  }
}
