package dev.warden.openai.model;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.annotation.JsonbProperty;
import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-B (Yasson) round trips and a structural comparison that knows which keys a record models.
 */
final class RoundTrip {

  /** Like Open Liberty's default: no config, so nulls are omitted and unknown keys ignored. */
  static final Jsonb JSONB = JsonbBuilder.create();

  private RoundTrip() {}

  static JsonValue json(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  static JsonObject object(String text) {
    return json(text).asJsonObject();
  }

  /** The object as JSON-B writes it, parsed back into a JSON-P structure. */
  static JsonValue written(Object value) {
    return json(JSONB.toJson(value));
  }

  static <T> T read(JsonValue json, Class<T> type) {
    return JSONB.fromJson(json.toString(), type);
  }

  static <T> T read(String json, Class<T> type) {
    return JSONB.fromJson(json, type);
  }

  /**
   * Reads {@code original} into {@code type}, writes it back, and asserts that every key written
   * holds the original's value and that every modelled key of the original survived; then that
   * reading the written JSON gives an equal record. Returns the record.
   */
  static <T> T assertRoundTrip(JsonValue original, Class<T> type) {
    T value = read(original, type);
    assertThat(value).as("%s read from %s", type.getSimpleName(), original).isNotNull();
    String written = JSONB.toJson(value);
    List<String> problems = differences(type, original, json(written));
    assertThat(problems)
        .as("round trip of %s%nwritten:  %s%noriginal: %s", type.getSimpleName(), written, original)
        .isEmpty();
    assertThat(read(written, type)).as("re-reading the written JSON").isEqualTo(value);
    return value;
  }

  /** The differences between an original and a re-written JSON for the given model type. */
  static List<String> differences(Type type, JsonValue original, JsonValue written) {
    List<String> problems = new ArrayList<>();
    compare(type, original, written, "$", problems);
    return problems;
  }

  private static void compare(
      Type type, JsonValue original, JsonValue written, String path, List<String> problems) {
    if (isNull(original)) {
      if (!isNull(written)) {
        problems.add(path + ": original is null/absent but written " + written);
      }
      return;
    }
    if (isNull(written)) {
      problems.add(path + ": modelled value " + original + " was dropped");
      return;
    }
    Class<?> raw = rawClass(type);
    // Unions whose array form holds records: compare element-wise, so the element records'
    // modelled keys are checked the same way.
    if (raw == MessageContent.class && original.getValueType() == JsonValue.ValueType.ARRAY) {
      compareArrays(ContentPart.class, original, written, path, problems);
    } else if (raw == ResponseInput.class && original.getValueType() == JsonValue.ValueType.ARRAY) {
      compareArrays(ResponseItem.class, original, written, path, problems);
    } else if (raw.isRecord() && original.getValueType() == JsonValue.ValueType.OBJECT) {
      compareRecord(raw, original, written, path, problems);
    } else if (Collection.class.isAssignableFrom(raw)
        && original.getValueType() == JsonValue.ValueType.ARRAY) {
      compareArrays(elementType(type), original, written, path, problems);
    } else if (!jsonEquals(original, written)) {
      problems.add(path + ": expected " + original + " but written " + written);
    }
  }

  private static void compareRecord(
      Class<?> type, JsonValue original, JsonValue written, String path, List<String> problems) {
    if (written.getValueType() != JsonValue.ValueType.OBJECT) {
      problems.add(path + ": expected an object but written " + written);
      return;
    }
    Map<String, Type> modelled = modelledKeys(type);
    JsonObject in = original.asJsonObject();
    JsonObject out = written.asJsonObject();
    for (String key : out.keySet()) {
      if (!modelled.containsKey(key)) {
        problems.add(path + "." + key + ": written but not a component of " + type.getSimpleName());
      } else if (isNull(in.get(key))) {
        problems.add(path + "." + key + ": written " + out.get(key) + " but absent in original");
      }
    }
    for (Map.Entry<String, Type> component : modelled.entrySet()) {
      String key = component.getKey();
      if (in.containsKey(key)) {
        compare(component.getValue(), in.get(key), out.get(key), path + "." + key, problems);
      }
    }
  }

  private static void compareArrays(
      Type elementType, JsonValue original, JsonValue written, String path, List<String> problems) {
    if (written.getValueType() != JsonValue.ValueType.ARRAY) {
      problems.add(path + ": expected an array but written " + written);
      return;
    }
    JsonArray in = original.asJsonArray();
    JsonArray out = written.asJsonArray();
    if (in.size() != out.size()) {
      problems.add(path + ": expected " + in.size() + " elements but written " + out.size());
      return;
    }
    for (int i = 0; i < in.size(); i++) {
      compare(elementType, in.get(i), out.get(i), path + "[" + i + "]", problems);
    }
  }

  /** JSON names of a record's components (from {@code @JsonbProperty}) to their Java types. */
  static Map<String, Type> modelledKeys(Class<?> record) {
    Map<String, Type> keys = new LinkedHashMap<>();
    for (RecordComponent component : record.getRecordComponents()) {
      JsonbProperty property = component.getAccessor().getAnnotation(JsonbProperty.class);
      keys.put(
          property == null ? component.getName() : property.value(), component.getGenericType());
    }
    return keys;
  }

  /** Deep JSON equality, numbers compared by value (1.0 equals 1.00). */
  static boolean jsonEquals(JsonValue a, JsonValue b) {
    if (isNull(a) || isNull(b)) {
      return isNull(a) && isNull(b);
    }
    if (a.getValueType() != b.getValueType()) {
      return false;
    }
    switch (a.getValueType()) {
      case NUMBER:
        return ((JsonNumber) a).bigDecimalValue().compareTo(((JsonNumber) b).bigDecimalValue())
            == 0;
      case ARRAY:
        JsonArray x = a.asJsonArray();
        JsonArray y = b.asJsonArray();
        if (x.size() != y.size()) {
          return false;
        }
        for (int i = 0; i < x.size(); i++) {
          if (!jsonEquals(x.get(i), y.get(i))) {
            return false;
          }
        }
        return true;
      case OBJECT:
        JsonObject o = a.asJsonObject();
        JsonObject p = b.asJsonObject();
        if (!o.keySet().equals(p.keySet())) {
          return false;
        }
        for (String key : o.keySet()) {
          if (!jsonEquals(o.get(key), p.get(key))) {
            return false;
          }
        }
        return true;
      default:
        return a.equals(b);
    }
  }

  private static boolean isNull(JsonValue value) {
    return value == null || value.getValueType() == JsonValue.ValueType.NULL;
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class) {
      return (Class<?>) type;
    }
    if (type instanceof ParameterizedType) {
      return (Class<?>) ((ParameterizedType) type).getRawType();
    }
    throw new IllegalArgumentException("Unsupported type " + type);
  }

  private static Type elementType(Type collectionType) {
    if (collectionType instanceof ParameterizedType) {
      return ((ParameterizedType) collectionType).getActualTypeArguments()[0];
    }
    return JsonValue.class;
  }
}
