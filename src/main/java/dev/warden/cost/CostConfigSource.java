package dev.warden.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The model table ({@code config/models.properties}) and the price table ({@code
 * config/prices.properties}), packaged as {@code META-INF/warden/*.properties}, as a MicroProfile
 * Config source with ordinal {@value #ORDINAL}: below Warden's own defaults (100), so every key can
 * be overridden by a system property, an environment variable or a {@code server.xml} variable.
 */
public final class CostConfigSource implements ConfigSource {

  static final int ORDINAL = 90;
  static final String[] FILES = {"models.properties", "prices.properties"};

  private final Map<String, String> values;

  public CostConfigSource() {
    this(load(CostConfigSource.class.getClassLoader()));
  }

  CostConfigSource(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Reads both files from {@code META-INF/warden/} of {@code loader}; missing files are empty. */
  static Map<String, String> load(ClassLoader loader) {
    Map<String, String> all = new HashMap<>();
    for (String file : FILES) {
      try (InputStream in = loader.getResourceAsStream("META-INF/warden/" + file)) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read META-INF/warden/" + file, e);
      }
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
    return "warden-cost-tables";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
