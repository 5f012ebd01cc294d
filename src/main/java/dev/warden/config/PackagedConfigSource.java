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
 * A MicroProfile Config source over properties files packaged in the library jar, read once.
 * Warden's defaults and its model and price tables are such sources, each with an ordinal below an
 * application's own {@code microprofile-config.properties} (100), so any of their keys can be
 * overridden there, by an environment variable or by a system property.
 */
public abstract class PackagedConfigSource implements ConfigSource {

  private final String name;
  private final int ordinal;
  private final Map<String, String> values;

  protected PackagedConfigSource(String name, int ordinal, Map<String, String> values) {
    this.name = name;
    this.ordinal = ordinal;
    this.values = Map.copyOf(values);
  }

  /**
   * Reads {@code resources} from {@code loader}, later files overriding earlier ones; a missing
   * file gives no values.
   */
  public static Map<String, String> load(ClassLoader loader, String... resources) {
    Map<String, String> all = new HashMap<>();
    for (String resource : resources) {
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
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
    return name;
  }

  @Override
  public int getOrdinal() {
    return ordinal;
  }
}
