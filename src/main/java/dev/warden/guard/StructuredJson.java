package dev.warden.guard;

import dev.warden.config.Jsonp;
import jakarta.annotation.Nullable;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a Java type is shaped as structured-output JSON, shared by the schema generator of typed AI
 * services and the binding of answers: the JSON properties of a record or class, and the
 * representation of a {@code Map}.
 *
 * <p>Strict mode forbids open objects ({@code additionalProperties} other than {@code false}), so a
 * {@code Map<String, V>} is sent as an array of entries {@code [{"key": ..., "value": ...}]}.
 * Before an answer is bound with JSON-B, {@link #forBinding} turns every such array that stands
 * where the Java type has a {@code Map} back into a JSON object; a key that repeats an earlier
 * entry's key is a violation (the schema cannot forbid it).
 */
public final class StructuredJson {

  /** The property of a map entry that holds its key. */
  public static final String KEY = "key";

  /** The property of a map entry that holds its value. */
  public static final String VALUE = "value";

  private StructuredJson() {}

  /**
   * One JSON property of a record or class.
   *
   * @param name its JSON name ({@link JsonbProperty}, else the Java name)
   * @param type its declared generic type
   * @param nullable whether it is marked {@link Nullable}
   */
  public record Property(String name, Type type, boolean nullable) {}

  /**
   * The JSON properties of {@code c}: a record's components, or a class's non-static,
   * non-transient, non-synthetic fields without {@link JsonbTransient}, in declaration order.
   */
  public static List<Property> properties(Class<?> c) {
    List<Property> out = new ArrayList<>();
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        // annotations without RECORD_COMPONENT in their targets land on the field and accessor
        AnnotatedElement[] places = {rc, rc.getAccessor(), field(c, rc.getName())};
        String name = rc.getName();
        boolean nullable = false;
        for (AnnotatedElement e : places) {
          if (e != null) {
            name = name.equals(rc.getName()) ? jsonName(e, name) : name;
            nullable |= e.isAnnotationPresent(Nullable.class);
          }
        }
        out.add(new Property(name, rc.getGenericType(), nullable));
      }
      return out;
    }
    for (Field f : c.getDeclaredFields()) {
      int m = f.getModifiers();
      if (Modifier.isStatic(m)
          || Modifier.isTransient(m)
          || f.isSynthetic()
          || f.isAnnotationPresent(JsonbTransient.class)) {
        continue;
      }
      out.add(
          new Property(
              jsonName(f, f.getName()), f.getGenericType(), f.isAnnotationPresent(Nullable.class)));
    }
    return out;
  }

  /**
   * {@code value} reshaped for JSON-B binding to {@code type}: where {@code type} has a {@code Map}
   * and the value is an array of {@code {key, value}} entries, the entries become a JSON object.
   * Everything else is returned as it is (what cannot be bound fails in JSON-B afterwards).
   *
   * @param at the JSON path of {@code value}, for violations
   * @param violations receives a violation for every key that repeats an earlier entry's key
   */
  public static JsonValue forBinding(
      JsonValue value, Type type, String at, List<OutputViolation> violations) {
    return reshape(value, type, at, violations, 0);
  }

  private static final int MAX_DEPTH = 512;

  private static final Map<Type, Boolean> HOLDS_MAP =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Whether a value of {@code type} can hold a {@link Map} anywhere (in a property, an item, an
   * optional, at any depth, recursive types included): only then does {@link #forBinding} change
   * anything, so a type without one can be bound as it is. Known per type after the first ask.
   */
  public static boolean holdsMap(Type type) {
    Boolean known = HOLDS_MAP.get(type);
    if (known == null) {
      known = holdsMap(type, new HashSet<>());
      HOLDS_MAP.put(type, known);
    }
    return known;
  }

  private static boolean holdsMap(Type type, Set<Type> visiting) {
    Class<?> raw = rawOf(type);
    if (raw == null || !visiting.add(type)) {
      return false;
    }
    if (raw == Optional.class && type instanceof ParameterizedType p) {
      return holdsMap(p.getActualTypeArguments()[0], visiting);
    }
    if (Map.class.isAssignableFrom(raw)) {
      return true;
    }
    Type item = itemType(type, raw);
    if (item != null) {
      return holdsMap(item, visiting);
    }
    if (raw.isInterface() || raw.isPrimitive() || raw.getName().startsWith("java.")) {
      return false;
    }
    for (Property p : properties(raw)) {
      if (holdsMap(p.type(), visiting)) {
        return true;
      }
    }
    return false;
  }

  private static JsonValue reshape(
      JsonValue value, Type type, String at, List<OutputViolation> violations, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return value;
    }
    Class<?> raw = rawOf(type);
    if (raw == null) {
      return value;
    }
    if (raw == Optional.class && type instanceof ParameterizedType p) {
      return reshape(value, p.getActualTypeArguments()[0], at, violations, depth + 1);
    }
    if (Map.class.isAssignableFrom(raw)) {
      Type valueType =
          type instanceof ParameterizedType p && p.getActualTypeArguments().length == 2
              ? p.getActualTypeArguments()[1]
              : Object.class;
      return value instanceof JsonArray entries
          ? entriesToObject(entries, valueType, at, violations, depth)
          : value;
    }
    if (value instanceof JsonArray array) {
      Type item = itemType(type, raw);
      if (item == null) {
        return value;
      }
      JsonArrayBuilder out = Jsonp.createArrayBuilder();
      for (int i = 0; i < array.size(); i++) {
        out.add(reshape(array.get(i), item, at + "[" + i + "]", violations, depth + 1));
      }
      return out.build();
    }
    if (value instanceof JsonObject object
        && !raw.isInterface()
        && !raw.isPrimitive()
        && !raw.getName().startsWith("java.")) {
      JsonObjectBuilder out = Jsonp.createObjectBuilder(object);
      for (Property p : properties(raw)) {
        JsonValue v = object.get(p.name());
        if (v != null) {
          out.add(p.name(), reshape(v, p.type(), at + "." + p.name(), violations, depth + 1));
        }
      }
      return out.build();
    }
    return value;
  }

  private static JsonValue entriesToObject(
      JsonArray entries, Type valueType, String at, List<OutputViolation> violations, int depth) {
    JsonObjectBuilder out = Jsonp.createObjectBuilder();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = at + "[" + i + "]";
      if (!(entries.get(i) instanceof JsonObject entry)
          || !(entry.get(KEY) instanceof JsonString key)
          || !entry.containsKey(VALUE)) {
        violations.add(new OutputViolation(where, "a map entry needs a string key and a value"));
        continue;
      }
      if (!seen.add(key.getString())) {
        violations.add(
            new OutputViolation(where + "." + KEY, "the key repeats an earlier entry's key"));
        continue;
      }
      out.add(
          key.getString(),
          reshape(entry.get(VALUE), valueType, where + "." + VALUE, violations, depth + 1));
    }
    return out.build();
  }

  private static Type itemType(Type type, Class<?> raw) {
    if (type instanceof GenericArrayType g) {
      return g.getGenericComponentType();
    }
    if (raw.isArray()) {
      return raw.getComponentType();
    }
    if (Collection.class.isAssignableFrom(raw)
        && type instanceof ParameterizedType p
        && p.getActualTypeArguments().length == 1) {
      return p.getActualTypeArguments()[0];
    }
    return null;
  }

  private static Class<?> rawOf(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    if (type instanceof GenericArrayType) {
      return Object[].class;
    }
    return null;
  }

  private static Field field(Class<?> c, String name) {
    try {
      return c.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  private static String jsonName(AnnotatedElement e, String javaName) {
    JsonbProperty p = e.getAnnotation(JsonbProperty.class);
    return p == null || p.value().isEmpty() ? javaName : p.value();
  }
}
