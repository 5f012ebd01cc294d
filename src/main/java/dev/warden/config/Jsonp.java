package dev.warden.config;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonWriter;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.util.Collection;
import java.util.Map;

/**
 * JSON-P through one provider, looked up once. Each static factory of {@link jakarta.json.Json}
 * looks the provider up again ({@link JsonProvider#provider()}: a {@link java.util.ServiceLoader}
 * walk of the class loaders), which was about a twelfth of Warden's CPU while relaying streams; a
 * provider is thread-safe, so Warden's code uses this one instead (an ArchUnit rule keeps it so).
 */
public final class Jsonp {

  private static final JsonProvider PROVIDER = JsonProvider.provider();

  private Jsonp() {}

  public static JsonObjectBuilder createObjectBuilder() {
    return PROVIDER.createObjectBuilder();
  }

  public static JsonObjectBuilder createObjectBuilder(JsonObject object) {
    return PROVIDER.createObjectBuilder(object);
  }

  public static JsonArrayBuilder createArrayBuilder() {
    return PROVIDER.createArrayBuilder();
  }

  public static JsonArrayBuilder createArrayBuilder(Collection<?> collection) {
    return PROVIDER.createArrayBuilder(collection);
  }

  public static JsonReader createReader(Reader reader) {
    return PROVIDER.createReader(reader);
  }

  public static JsonParser createParser(InputStream in) {
    return PROVIDER.createParser(in);
  }

  public static JsonWriter createWriter(Writer writer) {
    return PROVIDER.createWriter(writer);
  }

  public static JsonParserFactory createParserFactory(Map<String, ?> config) {
    return PROVIDER.createParserFactory(config);
  }

  public static JsonString createValue(String value) {
    return PROVIDER.createValue(value);
  }
}
