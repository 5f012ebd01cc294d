package dev.warden.ai.service;

import dev.warden.config.Jsonp;
import dev.warden.guard.StructuredJson;
import jakarta.annotation.Nullable;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.bind.annotation.JsonbProperty;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Generates the JSON schema of a Java type under OpenAI's structured-output strict mode: every
 * object lists all its properties as required and has {@code additionalProperties: false}; a value
 * that may be absent ({@link Optional} or {@link Nullable}) is a type union with {@code "null"}.
 *
 * <p>Supported: records and classes (their record components, or their non-static, non-transient
 * fields, named as JSON-B names them: {@link JsonbProperty} or the Java name, see {@link
 * StructuredJson#properties}); {@code String}, {@code char}; integer types and {@code BigInteger}
 * ({@code integer}); {@code float}, {@code double}, {@code BigDecimal} ({@code number}); {@code
 * boolean}; enums (their constant names); {@code List}, {@code Set}, other collections and arrays;
 * {@code Optional} and its primitive variants; {@code LocalDate} ({@code date}), {@code
 * OffsetDateTime} and {@code Instant} ({@code date-time}), {@code UUID} ({@code uuid}).
 *
 * <p>Records and classes are nested inline, except those that refer to themselves, directly or
 * through others (a tree, a thread, two records that refer to each other): each of these is defined
 * once under {@code $defs} and referred to with {@code {"$ref": "#/$defs/Name"}}; the root refers
 * to itself with {@code {"$ref": "#"}}. A reference that may be absent is {@code {"anyOf":
 * [{"$ref": ...}, {"type": "null"}]}}. A definition is named after the simple name of its class;
 * classes of the same simple name are named by their full name ({@code .} and {@code $} as {@code
 * _}).
 *
 * <p>A {@code Map<String, V>} (strict mode forbids open objects) is an array of entries {@code
 * {"key": string, "value": V}}, turned back into the map when the answer is bound ({@link
 * StructuredJson#forBinding}). Maps with other keys, raw types, wildcards and type variables are
 * refused with an {@link IllegalArgumentException}.
 */
public final class JsonSchemas {
  private JsonSchemas() {}

  /** The schema of {@code type}, which must be a record or class (the root is an object). */
  public static JsonObject of(Class<?> type) {
    if (!isObjectType(type)) {
      throw new IllegalArgumentException(
          type.getName() + ": a structured output's root must be a record or class");
    }
    Generator g = new Generator(type, List.of(type));
    return g.withDefs(g.body(type, type.getSimpleName()));
  }

  /**
   * The strict schema of a tool's parameters or an object whose properties are given as names and
   * types (for example a method's parameters); {@code nullable[i]} marks optional values.
   */
  public static JsonObject object(String[] names, Type[] types, boolean[] nullable) {
    Generator g = new Generator(null, Arrays.asList(types));
    JsonObjectBuilder properties = Jsonp.createObjectBuilder();
    JsonArrayBuilder required = Jsonp.createArrayBuilder();
    for (int i = 0; i < names.length; i++) {
      properties.add(names[i], g.schema(types[i], nullable[i], names[i]));
      required.add(names[i]);
    }
    return g.withDefs(
        Jsonp.createObjectBuilder()
            .add("type", "object")
            .add("properties", properties)
            .add("required", required)
            .add("additionalProperties", false));
  }

  /** Whether {@code type} becomes a JSON object (a record or a plain class). */
  public static boolean isObjectType(Class<?> type) {
    return !type.isPrimitive()
        && !type.isArray()
        && !type.isEnum()
        && !type.isInterface()
        && scalar(type) == null
        && !Collection.class.isAssignableFrom(type)
        && !Map.class.isAssignableFrom(type)
        && !type.getName().startsWith("java.");
  }

  /** One generation: which classes are recursive, their definitions' names, the definitions. */
  private static final class Generator {
    private final Class<?> root;
    private final Map<Class<?>, String> defNames = new LinkedHashMap<>();
    private final Map<String, JsonObject> defs = new LinkedHashMap<>();
    private final Set<Class<?>> defining = new HashSet<>();

    /**
     * @param root the root class (referred to as {@code #}), or null for a synthetic root
     * @param start the types the schema starts from
     */
    Generator(Class<?> root, List<Type> start) {
      this.root = root;
      Map<Class<?>, Set<Class<?>>> graph = new LinkedHashMap<>();
      Deque<Class<?>> todo = new ArrayDeque<>();
      for (Type t : start) {
        objectClassesIn(t, todo);
      }
      while (!todo.isEmpty()) {
        Class<?> c = todo.removeFirst();
        if (graph.containsKey(c)) {
          continue;
        }
        Deque<Class<?>> next = new ArrayDeque<>();
        for (StructuredJson.Property p : StructuredJson.properties(c)) {
          objectClassesIn(p.type(), next);
        }
        graph.put(c, new LinkedHashSet<>(next));
        todo.addAll(next);
      }
      List<Class<?>> recursive = new ArrayList<>();
      for (Class<?> c : graph.keySet()) {
        if (c != root && reaches(graph, c, c)) {
          recursive.add(c);
        }
      }
      Map<String, Integer> simpleNames = new HashMap<>();
      for (Class<?> c : recursive) {
        simpleNames.merge(defName(c.getSimpleName()), 1, Integer::sum);
      }
      Set<String> taken = new HashSet<>();
      for (Class<?> c : recursive) {
        String name = defName(c.getSimpleName());
        if (simpleNames.get(name) > 1) {
          name = defName(c.getName());
        }
        String unique = name;
        for (int i = 2; !taken.add(unique); i++) {
          unique = name + "_" + i;
        }
        defNames.put(c, unique);
      }
    }

    /** {@code builder} with {@code $defs} added when there are definitions. */
    JsonObject withDefs(JsonObjectBuilder builder) {
      if (!defs.isEmpty()) {
        JsonObjectBuilder d = Jsonp.createObjectBuilder();
        defs.forEach(d::add);
        builder.add("$defs", d);
      }
      return builder.build();
    }

    JsonObject schema(Type type, boolean nullable, String at) {
      if (type instanceof ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (raw == Optional.class) {
          return schema(args[0], true, at);
        }
        if (Collection.class.isAssignableFrom(raw) && args.length == 1) {
          return withType("array", nullable)
              .add("items", schema(args[0], false, at + "[]"))
              .build();
        }
        if (Map.class.isAssignableFrom(raw) && args.length == 2) {
          return mapEntries(args, nullable, at);
        }
        throw new IllegalArgumentException(at + ": " + type + " has no strict JSON schema");
      }
      if (type instanceof GenericArrayType g) {
        return withType("array", nullable)
            .add("items", schema(g.getGenericComponentType(), false, at + "[]"))
            .build();
      }
      if (!(type instanceof Class<?> c)) {
        throw new IllegalArgumentException(at + ": " + type + " has no strict JSON schema");
      }
      if (c == OptionalInt.class || c == OptionalLong.class) {
        return withType("integer", true).build();
      }
      if (c == OptionalDouble.class) {
        return withType("number", true).build();
      }
      String[] scalar = scalar(c);
      if (scalar != null) {
        JsonObjectBuilder b = withType(scalar[0], nullable && !c.isPrimitive());
        if (scalar.length > 1) {
          b.add("format", scalar[1]);
        }
        return b.build();
      }
      if (c.isEnum()) {
        JsonArrayBuilder values = Jsonp.createArrayBuilder();
        for (Object constant : c.getEnumConstants()) {
          values.add(((Enum<?>) constant).name());
        }
        if (nullable) {
          values.addNull();
        }
        return withType("string", nullable).add("enum", values).build();
      }
      if (c.isArray()) {
        return withType("array", nullable)
            .add("items", schema(c.getComponentType(), false, at + "[]"))
            .build();
      }
      if (Map.class.isAssignableFrom(c) || Collection.class.isAssignableFrom(c)) {
        throw new IllegalArgumentException(
            at + ": " + c.getName() + " needs its type arguments for a strict JSON schema");
      }
      if (!isObjectType(c)) {
        throw new IllegalArgumentException(at + ": " + c.getName() + " has no strict JSON schema");
      }
      String ref = c == root ? "#" : defNames.containsKey(c) ? "#/$defs/" + defNames.get(c) : null;
      if (ref == null) {
        JsonObjectBuilder b = body(c, at);
        return (nullable ? b.add("type", Jsonp.createArrayBuilder().add("object").add("null")) : b)
            .build();
      }
      if (c != root && defining.add(c)) {
        defs.put(defNames.get(c), body(c, defNames.get(c)).build());
      }
      JsonObject reference = Jsonp.createObjectBuilder().add("$ref", ref).build();
      return nullable
          ? Jsonp.createObjectBuilder()
              .add("anyOf", Jsonp.createArrayBuilder().add(reference).add(withType("null", false)))
              .build()
          : reference;
    }

    /** A {@code Map<String, V>}: an array of {@code {key, value}} entries. */
    private JsonObject mapEntries(Type[] args, boolean nullable, String at) {
      if (args[0] != String.class) {
        throw new IllegalArgumentException(
            at + ": a map's keys must be String for a strict JSON schema, not " + args[0]);
      }
      JsonObject entry =
          Jsonp.createObjectBuilder()
              .add("type", "object")
              .add(
                  "properties",
                  Jsonp.createObjectBuilder()
                      .add(StructuredJson.KEY, withType("string", false))
                      .add(StructuredJson.VALUE, schema(args[1], false, at + "{}")))
              .add(
                  "required",
                  Jsonp.createArrayBuilder().add(StructuredJson.KEY).add(StructuredJson.VALUE))
              .add("additionalProperties", false)
              .build();
      return withType("array", nullable).add("items", entry).build();
    }

    /** The object schema of a record or class: its properties, all required, no others. */
    JsonObjectBuilder body(Class<?> c, String at) {
      JsonObjectBuilder properties = Jsonp.createObjectBuilder();
      JsonArrayBuilder required = Jsonp.createArrayBuilder();
      for (StructuredJson.Property p : StructuredJson.properties(c)) {
        properties.add(p.name(), schema(p.type(), p.nullable(), at + "." + p.name()));
        required.add(p.name());
      }
      return Jsonp.createObjectBuilder()
          .add("type", "object")
          .add("properties", properties)
          .add("required", required)
          .add("additionalProperties", false);
    }
  }

  /** Adds the records and classes {@code type} holds (itself, or as an element) to {@code out}. */
  private static void objectClassesIn(Type type, Deque<Class<?>> out) {
    if (type instanceof ParameterizedType p) {
      for (Type arg : p.getActualTypeArguments()) {
        objectClassesIn(arg, out);
      }
    } else if (type instanceof GenericArrayType g) {
      objectClassesIn(g.getGenericComponentType(), out);
    } else if (type instanceof Class<?> c) {
      if (c.isArray()) {
        objectClassesIn(c.getComponentType(), out);
      } else if (isObjectType(c)) {
        out.add(c);
      }
    }
  }

  /** Whether {@code to} is reachable from {@code from} in one step or more. */
  private static boolean reaches(Map<Class<?>, Set<Class<?>>> graph, Class<?> from, Class<?> to) {
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(graph.getOrDefault(from, Set.of()));
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (c == to) {
        return true;
      }
      if (seen.add(c)) {
        todo.addAll(graph.getOrDefault(c, Set.of()));
      }
    }
    return false;
  }

  /** A definition's name: {@code [A-Za-z0-9_-]} only. */
  private static String defName(String javaName) {
    return javaName.replaceAll("[^a-zA-Z0-9_-]", "_");
  }

  private static String[] scalar(Class<?> c) {
    if (c == String.class || c == char.class || c == Character.class) {
      return new String[] {"string"};
    }
    if (c == int.class
        || c == long.class
        || c == short.class
        || c == byte.class
        || c == Integer.class
        || c == Long.class
        || c == Short.class
        || c == Byte.class
        || c == BigInteger.class) {
      return new String[] {"integer"};
    }
    if (c == double.class
        || c == float.class
        || c == Double.class
        || c == Float.class
        || c == BigDecimal.class) {
      return new String[] {"number"};
    }
    if (c == boolean.class || c == Boolean.class) {
      return new String[] {"boolean"};
    }
    if (c == LocalDate.class) {
      return new String[] {"string", "date"};
    }
    if (c == OffsetDateTime.class || c == Instant.class) {
      return new String[] {"string", "date-time"};
    }
    if (c == UUID.class) {
      return new String[] {"string", "uuid"};
    }
    return null;
  }

  private static JsonObjectBuilder withType(String type, boolean nullable) {
    return nullable
        ? Jsonp.createObjectBuilder().add("type", Jsonp.createArrayBuilder().add(type).add("null"))
        : Jsonp.createObjectBuilder().add("type", type);
  }

  /** A schema's name as OpenAI accepts it ({@code [a-zA-Z0-9_-]}, at most 64 characters). */
  public static String nameOf(Class<?> type) {
    String name = type.getSimpleName().replaceAll("[^a-zA-Z0-9_-]", "_");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }
}
