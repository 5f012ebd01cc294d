package dev.warden.ai.service;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of OpenAI's structured-output strict mode that a generated schema must keep, checked
 * independently of the generator: the root is an object (not {@code anyOf}); every object has
 * {@code additionalProperties: false} and all its properties in {@code required}; every {@code
 * $ref} points at the root ({@code #}) or at an existing {@code #/$defs/...} entry and stands
 * alone; only {@code $defs} at the root.
 */
final class StrictSchemaRules {
  private StrictSchemaRules() {}

  /** Every broken rule, as {@code path: rule}; empty when the schema keeps them all. */
  static List<String> problems(JsonObject root) {
    List<String> out = new ArrayList<>();
    if (!"object".equals(typeOf(root)) || root.containsKey("anyOf")) {
      out.add("$: the root must be an object");
    }
    JsonObject defs =
        root.containsKey("$defs") ? root.getJsonObject("$defs") : JsonValue.EMPTY_JSON_OBJECT;
    walk(root, "$", defs, out, true);
    for (String name : defs.keySet()) {
      walk(defs.getJsonObject(name), "$defs." + name, defs, out, false);
    }
    return out;
  }

  private static void walk(
      JsonObject schema, String at, JsonObject defs, List<String> out, boolean root) {
    if (!root && schema.containsKey("$defs")) {
      out.add(at + ": $defs only at the root");
    }
    if (schema.containsKey("$ref")) {
      String ref = schema.getString("$ref");
      if (schema.size() != 1) {
        out.add(at + ": $ref stands alone");
      }
      if (!ref.equals("#") && !(ref.startsWith("#/$defs/") && defs.containsKey(ref.substring(8)))) {
        out.add(at + ": $ref " + ref + " points nowhere");
      }
      return;
    }
    if (schema.containsKey("anyOf")) {
      int i = 0;
      for (JsonValue option : schema.getJsonArray("anyOf")) {
        walk(option.asJsonObject(), at + ".anyOf[" + i++ + "]", defs, out, false);
      }
      return;
    }
    String type = typeOf(schema);
    if (type == null) {
      out.add(at + ": no type");
      return;
    }
    if (type.equals("object")) {
      if (!JsonValue.FALSE.equals(schema.get("additionalProperties"))) {
        out.add(at + ": additionalProperties must be false");
      }
      JsonObject properties = schema.getJsonObject("properties");
      Set<String> required = new LinkedHashSet<>();
      if (schema.containsKey("required")) {
        schema
            .getJsonArray("required")
            .getValuesAs(JsonString.class)
            .forEach(s -> required.add(s.getString()));
      }
      if (properties == null || !required.equals(properties.keySet())) {
        out.add(at + ": every property must be required");
      }
      if (properties != null) {
        for (String name : properties.keySet()) {
          walk(properties.getJsonObject(name), at + "." + name, defs, out, false);
        }
      }
    } else if (type.equals("array")) {
      walk(schema.getJsonObject("items"), at + "[]", defs, out, false);
    }
  }

  /** The schema's type, not counting {@code "null"} in a union. */
  private static String typeOf(JsonObject schema) {
    JsonValue type = schema.get("type");
    if (type instanceof JsonString s) {
      return s.getString();
    }
    if (type != null && type.getValueType() == JsonValue.ValueType.ARRAY) {
      for (JsonValue t : type.asJsonArray()) {
        if (t instanceof JsonString s && !s.getString().equals("null")) {
          return s.getString();
        }
      }
      return "null";
    }
    return null;
  }
}
