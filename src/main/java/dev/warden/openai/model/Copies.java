package dev.warden.openai.model;

import dev.warden.config.Jsonp;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Package-internal helpers for the DTOs: null-tolerant defensive copies and JSON-P plumbing for the
 * union (de)serializers.
 */
final class Copies {

  private static final JsonParserFactory PARSERS = Jsonp.createParserFactory(Map.of());

  private Copies() {}

  /** An unmodifiable copy that keeps {@code null} as {@code null} and tolerates null elements. */
  static <T> List<T> list(List<T> list) {
    if (list == null || list instanceof TextContentList) {
      return list;
    }
    return Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** An unmodifiable, order-preserving copy that keeps {@code null} as {@code null}. */
  static <K, V> Map<K, V> map(Map<K, V> map) {
    return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** JSON {@code null} becomes Java {@code null}, so that it is omitted on output. */
  static JsonValue json(JsonValue value) {
    return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
  }

  /**
   * A fresh parser over an already-read value, positioned before its first event: the form that
   * {@code DeserializationContext.deserialize(Type, JsonParser)} expects. It parses the value's
   * text: a parser over the JSON-P structure itself (Parsson's {@code JsonStructureParser}) does
   * not implement {@code getArray()}/{@code getObject()}, which Yasson needs for {@code JsonValue}
   * properties.
   */
  static JsonParser parser(JsonObject value) {
    return PARSERS.createParser(new StringReader(value.toString()));
  }
}
