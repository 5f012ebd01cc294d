package dev.warden.mock;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds a deterministic instance of a JSON schema: objects get every {@code required} property,
 * enums their first value, {@code const} its value, strings {@code "mock"}, integers and numbers
 * {@code 1} (moved into {@code minimum}/{@code maximum}), booleans {@code true}, arrays {@code
 * minItems} elements (so usually {@code []}). Local {@code $ref}s, {@code anyOf}/{@code oneOf} (the
 * first non-null branch) and {@code allOf} (merged) are followed.
 */
final class SchemaSampler {
  private static final int MAX_DEPTH = 24;

  private final JsonObject root;

  private SchemaSampler(JsonObject root) {
    this.root = root;
  }

  /** An instance of {@code schema} (a JSON schema object; anything else gives {@code {}}). */
  static JsonValue sample(JsonValue schema) {
    if (schema == null || schema.getValueType() != JsonValue.ValueType.OBJECT) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    JsonObject root = schema.asJsonObject();
    return new SchemaSampler(root).sample(root, 0);
  }

  private JsonValue sample(JsonValue schemaValue, int depth) {
    if (depth > MAX_DEPTH) {
      return JsonValue.NULL;
    }
    if (schemaValue == null || schemaValue.getValueType() != JsonValue.ValueType.OBJECT) {
      return JsonSupport.JSON.createValue("mock"); // `true` / `{}`-like schemas accept anything
    }
    JsonObject schema = schemaValue.asJsonObject();
    String ref = JsonSupport.string(schema, "$ref");
    if (ref != null) {
      return sample(resolve(ref), depth + 1);
    }
    if (schema.containsKey("const")) {
      return schema.get("const");
    }
    JsonArray enumValues = JsonSupport.array(schema, "enum");
    if (enumValues != null && !enumValues.isEmpty()) {
      return enumValues.get(0);
    }
    for (String key : new String[] {"anyOf", "oneOf"}) {
      JsonArray options = JsonSupport.array(schema, key);
      if (options != null && !options.isEmpty()) {
        JsonValue chosen = options.get(0);
        for (JsonValue option : options) {
          if (!isNullSchema(option)) {
            chosen = option;
            break;
          }
        }
        return sample(chosen, depth + 1);
      }
    }
    JsonArray allOf = JsonSupport.array(schema, "allOf");
    if (allOf != null && !allOf.isEmpty()) {
      return sample(merge(schema, allOf, depth), depth + 1);
    }
    switch (type(schema)) {
      case "object":
        return sampleObject(schema, depth);
      case "array":
        return sampleArray(schema, depth);
      case "integer":
        return sampleNumber(schema, true);
      case "number":
        return sampleNumber(schema, false);
      case "boolean":
        return JsonValue.TRUE;
      case "null":
        return JsonValue.NULL;
      default:
        return sampleString(schema);
    }
  }

  private JsonValue sampleObject(JsonObject schema, int depth) {
    JsonObject properties = JsonSupport.object(schema, "properties");
    JsonArray required = JsonSupport.array(schema, "required");
    JsonObjectBuilder out = JsonSupport.JSON.createObjectBuilder();
    if (required != null) {
      for (JsonValue name : required) {
        if (name instanceof JsonString) {
          String key = ((JsonString) name).getString();
          JsonValue propertySchema = properties == null ? null : properties.get(key);
          out.add(key, sample(propertySchema, depth + 1));
        }
      }
    }
    return out.build();
  }

  private JsonValue sampleArray(JsonObject schema, int depth) {
    Integer minItems = lenientInt(schema, "minItems");
    int count = minItems == null ? 0 : Math.max(0, minItems);
    JsonArray prefixItems = JsonSupport.array(schema, "prefixItems");
    JsonValue items = schema.get("items");
    JsonArrayBuilder out = JsonSupport.JSON.createArrayBuilder();
    for (int i = 0; i < count; i++) {
      JsonValue itemSchema;
      if (prefixItems != null && i < prefixItems.size()) {
        itemSchema = prefixItems.get(i);
      } else if (items != null && items.getValueType() == JsonValue.ValueType.ARRAY) {
        JsonArray tuple = items.asJsonArray();
        itemSchema = i < tuple.size() ? tuple.get(i) : null;
      } else {
        itemSchema = items;
      }
      out.add(sample(itemSchema, depth + 1));
    }
    return out.build();
  }

  private static JsonValue sampleNumber(JsonObject schema, boolean integer) {
    BigDecimal value = BigDecimal.ONE;
    BigDecimal step = integer ? BigDecimal.ONE : new BigDecimal("0.5");
    BigDecimal minimum = decimal(schema, "minimum");
    BigDecimal exclusiveMinimum = decimal(schema, "exclusiveMinimum");
    BigDecimal maximum = decimal(schema, "maximum");
    BigDecimal exclusiveMaximum = decimal(schema, "exclusiveMaximum");
    if (minimum != null && value.compareTo(minimum) < 0) {
      value = minimum;
    }
    if (exclusiveMinimum != null && value.compareTo(exclusiveMinimum) <= 0) {
      value = exclusiveMinimum.add(step);
    }
    if (maximum != null && value.compareTo(maximum) > 0) {
      value = maximum;
    }
    if (exclusiveMaximum != null && value.compareTo(exclusiveMaximum) >= 0) {
      value = exclusiveMaximum.subtract(step);
    }
    BigDecimal multipleOf = decimal(schema, "multipleOf");
    if (multipleOf != null && multipleOf.signum() > 0) {
      value = value.divide(multipleOf, 0, RoundingMode.CEILING).multiply(multipleOf);
    }
    if (integer) {
      value = value.setScale(0, RoundingMode.CEILING);
    }
    value = value.stripTrailingZeros();
    if (value.scale() <= 0) {
      return JsonSupport.JSON.createValue(value.toBigIntegerExact());
    }
    return JsonSupport.JSON.createValue(value);
  }

  private static JsonValue sampleString(JsonObject schema) {
    String format = JsonSupport.string(schema, "format");
    String value = "mock";
    if (format != null) {
      switch (format) {
        case "date-time":
          value = "2024-01-01T00:00:00Z";
          break;
        case "date":
          value = "2024-01-01";
          break;
        case "time":
          value = "00:00:00Z";
          break;
        case "email":
          value = "mock@example.com";
          break;
        case "uri":
        case "url":
          value = "https://example.com/mock";
          break;
        case "uuid":
          value = "00000000-0000-4000-8000-000000000000";
          break;
        case "ipv4":
          value = "127.0.0.1";
          break;
        case "hostname":
          value = "example.com";
          break;
        default:
          break;
      }
    }
    Integer minLength = lenientInt(schema, "minLength");
    Integer maxLength = lenientInt(schema, "maxLength");
    StringBuilder sb = new StringBuilder(value);
    if (minLength != null) {
      while (sb.length() < minLength) {
        sb.append('x');
      }
    }
    if (maxLength != null && sb.length() > maxLength) {
      sb.setLength(Math.max(0, maxLength));
    }
    return JsonSupport.JSON.createValue(sb.toString());
  }

  private static Integer lenientInt(JsonObject schema, String key) {
    JsonValue v = schema.get(key);
    return v instanceof JsonNumber ? Math.min(((JsonNumber) v).intValue(), 10_000) : null;
  }

  private static BigDecimal decimal(JsonObject schema, String key) {
    JsonValue v = schema.get(key);
    return v instanceof JsonNumber ? ((JsonNumber) v).bigDecimalValue() : null;
  }

  private static boolean isNullSchema(JsonValue schema) {
    if (schema == null || schema.getValueType() != JsonValue.ValueType.OBJECT) {
      return false;
    }
    return "null".equals(JsonSupport.string(schema.asJsonObject(), "type"));
  }

  /** The schema's type: the first non-null entry of {@code type}, else inferred. */
  private static String type(JsonObject schema) {
    JsonValue type = schema.get("type");
    if (type instanceof JsonString) {
      return ((JsonString) type).getString();
    }
    if (type != null && type.getValueType() == JsonValue.ValueType.ARRAY) {
      String firstType = null;
      for (JsonValue t : type.asJsonArray()) {
        if (t instanceof JsonString) {
          String name = ((JsonString) t).getString();
          if (!"null".equals(name)) {
            return name;
          }
          firstType = name;
        }
      }
      if (firstType != null) {
        return firstType;
      }
    }
    if (schema.containsKey("properties") || schema.containsKey("required")) {
      return "object";
    }
    if (schema.containsKey("items") || schema.containsKey("prefixItems")) {
      return "array";
    }
    return "string";
  }

  /** Merges {@code allOf} branches (resolved) into one schema: properties and required unioned. */
  private JsonObject merge(JsonObject schema, JsonArray allOf, int depth) {
    Map<String, JsonValue> properties = new LinkedHashMap<>();
    Set<String> required = new LinkedHashSet<>();
    JsonObjectBuilder merged = JsonSupport.JSON.createObjectBuilder();
    java.util.List<JsonObject> parts = new java.util.ArrayList<>();
    JsonObjectBuilder rest = JsonSupport.JSON.createObjectBuilder(schema);
    rest.remove("allOf");
    parts.add(rest.build());
    for (JsonValue part : allOf) {
      JsonValue resolved = part;
      int guard = 0;
      while (resolved != null
          && resolved.getValueType() == JsonValue.ValueType.OBJECT
          && resolved.asJsonObject().containsKey("$ref")
          && guard++ < MAX_DEPTH) {
        resolved = resolve(JsonSupport.string(resolved.asJsonObject(), "$ref"));
      }
      if (resolved != null && resolved.getValueType() == JsonValue.ValueType.OBJECT) {
        parts.add(resolved.asJsonObject());
      }
    }
    for (JsonObject part : parts) {
      for (Map.Entry<String, JsonValue> e : part.entrySet()) {
        switch (e.getKey()) {
          case "properties":
            if (e.getValue().getValueType() == JsonValue.ValueType.OBJECT) {
              properties.putAll(e.getValue().asJsonObject());
            }
            break;
          case "required":
            if (e.getValue().getValueType() == JsonValue.ValueType.ARRAY) {
              for (JsonValue name : e.getValue().asJsonArray()) {
                if (name instanceof JsonString) {
                  required.add(((JsonString) name).getString());
                }
              }
            }
            break;
          default:
            merged.add(e.getKey(), e.getValue());
        }
      }
    }
    if (!properties.isEmpty()) {
      JsonObjectBuilder props = JsonSupport.JSON.createObjectBuilder();
      properties.forEach(props::add);
      merged.add("properties", props);
    }
    if (!required.isEmpty()) {
      JsonArrayBuilder req = JsonSupport.JSON.createArrayBuilder();
      required.forEach(req::add);
      merged.add("required", req);
    }
    merged.remove("allOf");
    return merged.build();
  }

  /** Resolves a local JSON pointer reference ({@code #/$defs/X}); unknown refs give null. */
  private JsonValue resolve(String ref) {
    if (ref == null || !ref.startsWith("#")) {
      return null;
    }
    JsonValue current = root;
    String pointer = ref.substring(1);
    if (pointer.isEmpty()) {
      return root;
    }
    for (String token : pointer.substring(1).split("/", -1)) {
      String key = token.replace("~1", "/").replace("~0", "~");
      if (current == null) {
        return null;
      }
      if (current.getValueType() == JsonValue.ValueType.OBJECT) {
        current = current.asJsonObject().get(key);
      } else if (current.getValueType() == JsonValue.ValueType.ARRAY) {
        try {
          current = current.asJsonArray().get(Integer.parseInt(key));
        } catch (RuntimeException e) {
          return null;
        }
      } else {
        return null;
      }
    }
    return current;
  }
}
