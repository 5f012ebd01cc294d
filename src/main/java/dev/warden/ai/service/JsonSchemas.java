package dev.warden.ai.service;

import jakarta.annotation.Nullable;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Generates the JSON schema of a Java type under OpenAI's structured-output strict mode: every
 * object lists all its properties as required and has {@code additionalProperties: false}; a value
 * that may be absent ({@link Optional} or {@link Nullable}) is a type union with {@code "null"}.
 *
 * <p>Supported: records and classes (their record components, or their non-static, non-transient
 * fields, named as JSON-B names them: {@link JsonbProperty} or the Java name), nested inline;
 * {@code String}, {@code char}; integer types and {@code BigInteger} ({@code integer}); {@code
 * float}, {@code double}, {@code BigDecimal} ({@code number}); {@code boolean}; enums (their
 * constant names); {@code List}, {@code Set}, other collections and arrays; {@code Optional} and
 * its primitive variants; {@code LocalDate} ({@code date}), {@code OffsetDateTime} and {@code
 * Instant} ({@code date-time}), {@code UUID} ({@code uuid}). Maps (strict mode forbids open
 * objects) and recursive types are refused with an {@link IllegalArgumentException}.
 */
public final class JsonSchemas {
  private JsonSchemas() {}

  /** The schema of {@code type}, which must be a record or class (the root is an object). */
  public static JsonObject of(Class<?> type) {
    if (!isObjectType(type)) {
      throw new IllegalArgumentException(
          type.getName() + ": a structured output's root must be a record or class");
    }
    return schema(type, false, new ArrayDeque<>(), type.getSimpleName());
  }

  /**
   * The strict schema of a tool's parameters or an object whose properties are given as names and
   * types (for example a method's parameters); {@code nullable[i]} marks optional values.
   */
  public static JsonObject object(String[] names, Type[] types, boolean[] nullable) {
    JsonObjectBuilder properties = Json.createObjectBuilder();
    JsonArrayBuilder required = Json.createArrayBuilder();
    for (int i = 0; i < names.length; i++) {
      properties.add(names[i], schema(types[i], nullable[i], new ArrayDeque<>(), names[i]));
      required.add(names[i]);
    }
    return Json.createObjectBuilder()
        .add("type", "object")
        .add("properties", properties)
        .add("required", required)
        .add("additionalProperties", false)
        .build();
  }

  /** Whether {@code type} becomes a JSON object (a record or a plain class). */
  public static boolean isObjectType(Class<?> type) {
    return !type.isPrimitive()
        && !type.isArray()
        && !type.isEnum()
        && !type.isInterface()
        && scalar(type) == null
        && !Collection.class.isAssignableFrom(type)
        && !type.getName().startsWith("java.");
  }

  private static JsonObject schema(Type type, boolean nullable, Deque<Class<?>> path, String at) {
    if (type instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) type;
      Class<?> raw = (Class<?>) p.getRawType();
      Type arg = p.getActualTypeArguments()[0];
      if (raw == Optional.class) {
        return schema(arg, true, path, at);
      }
      if (Collection.class.isAssignableFrom(raw)) {
        return withType("array", nullable)
            .add("items", schema(arg, false, path, at + "[]"))
            .build();
      }
      throw new IllegalArgumentException(at + ": " + type + " has no strict JSON schema");
    }
    if (type instanceof GenericArrayType) {
      Type item = ((GenericArrayType) type).getGenericComponentType();
      return withType("array", nullable).add("items", schema(item, false, path, at + "[]")).build();
    }
    if (!(type instanceof Class)) {
      throw new IllegalArgumentException(at + ": " + type + " has no strict JSON schema");
    }
    Class<?> c = (Class<?>) type;
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
      JsonArrayBuilder values = Json.createArrayBuilder();
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
          .add("items", schema(c.getComponentType(), false, path, at + "[]"))
          .build();
    }
    if (!isObjectType(c)) {
      throw new IllegalArgumentException(at + ": " + c.getName() + " has no strict JSON schema");
    }
    if (path.contains(c)) {
      throw new IllegalArgumentException(
          at + ": " + c.getName() + " is recursive; strict schemas here are inline");
    }
    path.push(c);
    JsonObjectBuilder properties = Json.createObjectBuilder();
    JsonArrayBuilder required = Json.createArrayBuilder();
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        // annotations without RECORD_COMPONENT in their targets land on the field and accessor
        AnnotatedElement[] places = {rc, rc.getAccessor(), field(c, rc.getName())};
        String name = rc.getName();
        boolean optional = false;
        for (AnnotatedElement e : places) {
          if (e != null) {
            name = name.equals(rc.getName()) ? jsonName(e, name) : name;
            optional |= nullable(e);
          }
        }
        properties.add(name, schema(rc.getGenericType(), optional, path, at + "." + name));
        required.add(name);
      }
    } else {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (Modifier.isStatic(m)
            || Modifier.isTransient(m)
            || f.isSynthetic()
            || f.isAnnotationPresent(JsonbTransient.class)) {
          continue;
        }
        String name = jsonName(f, f.getName());
        properties.add(name, schema(f.getGenericType(), nullable(f), path, at + "." + name));
        required.add(name);
      }
    }
    path.pop();
    return withType("object", nullable)
        .add("properties", properties)
        .add("required", required)
        .add("additionalProperties", false)
        .build();
  }

  private static Field field(Class<?> c, String name) {
    try {
      return c.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      return null;
    }
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
        ? Json.createObjectBuilder().add("type", Json.createArrayBuilder().add(type).add("null"))
        : Json.createObjectBuilder().add("type", type);
  }

  private static boolean nullable(AnnotatedElement e) {
    return e.isAnnotationPresent(Nullable.class);
  }

  private static String jsonName(AnnotatedElement e, String javaName) {
    JsonbProperty p = e.getAnnotation(JsonbProperty.class);
    return p == null || p.value().isEmpty() ? javaName : p.value();
  }

  /** A schema's name as OpenAI accepts it ({@code [a-zA-Z0-9_-]}, at most 64 characters). */
  public static String nameOf(Class<?> type) {
    String name = type.getSimpleName().replaceAll("[^a-zA-Z0-9_-]", "_");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }
}
