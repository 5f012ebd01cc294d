package dev.warden.gateway.api;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;

/** Reading a small JSON request body of {@code /api}: known fields only, required strings. */
final class ApiBody {
  private ApiBody() {}

  /** The body, refused (400) when missing or holding a field not in {@code fields}. */
  static JsonObject of(JsonObject body, Set<String> fields) {
    if (body == null) {
      throw new ProblemException(400, "invalid_body", "a JSON object is required");
    }
    for (String name : body.keySet()) {
      if (!fields.contains(name)) {
        throw ProblemException.badParameter(name, "unknown field; known: " + fields);
      }
    }
    return body;
  }

  /** A required, non-blank string field, stripped. */
  static String requiredString(JsonObject body, String name, String what) {
    JsonValue v = body.get(name);
    if (!(v instanceof JsonString s) || s.getString().isBlank()) {
      throw ProblemException.badParameter(name, "required: " + what);
    }
    return s.getString().strip();
  }
}
