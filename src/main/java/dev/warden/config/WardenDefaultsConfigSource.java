package dev.warden.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Warden's defaults ({@code config/warden.properties}, packaged as {@value #RESOURCE} in the
 * library jar) as a MicroProfile Config source with ordinal {@value #ORDINAL}: below an
 * application's own {@code META-INF/microprofile-config.properties} (100), environment variables
 * (300) and system properties (400), so each of them overrides any default. Registered through
 * {@code META-INF/services/org.eclipse.microprofile.config.spi.ConfigSource}.
 */
public final class WardenDefaultsConfigSource implements ConfigSource {

  /** Where the defaults are on the class path. */
  public static final String RESOURCE = "META-INF/warden/warden.properties";

  /** Below {@code microprofile-config.properties} (100), above the cost tables (90). */
  public static final int ORDINAL = 95;

  private final Map<String, String> values;

  public WardenDefaultsConfigSource() {
    this(load(WardenDefaultsConfigSource.class.getClassLoader()));
  }

  WardenDefaultsConfigSource(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Reads {@value #RESOURCE} from {@code loader}; a missing file gives no defaults. */
  static Map<String, String> load(ClassLoader loader) {
    Map<String, String> all = new HashMap<>();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return all;
  }

  @Override
  public Set<String> getPropertyNames() {
    return values.keySet();
  }

  @Override
  public Map<String, String> getProperties() {
    return values;
  }

  @Override
  public String getValue(String propertyName) {
    return values.get(propertyName);
  }

  @Override
  public String getName() {
    return "warden-defaults";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
