package dev.warden.openai.model;

import dev.warden.config.Jsonp;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * A function the model may call: {@code name}, {@code description}, {@code parameters} as a JSON
 * Schema object, and {@code strict} for exact schema adherence (Structured Outputs).
 */
public record FunctionDefinition(
    @JsonbProperty("name") String name,
    @JsonbProperty("description") String description,
    @JsonbProperty("parameters") JsonObject parameters,
    @JsonbProperty("strict") Boolean strict) {
  /**
   * This function as a Responses API tool: {@code {"type": "function", "name", "description",
   * "parameters", "strict"}} (flat, unlike the Chat Completions form).
   */
  public JsonObject toResponsesTool() {
    JsonObjectBuilder tool = Jsonp.createObjectBuilder().add("type", "function").add("name", name);
    if (description != null) {
      tool.add("description", description);
    }
    if (parameters != null) {
      tool.add("parameters", parameters);
    }
    if (strict != null) {
      tool.add("strict", strict);
    }
    return tool.build();
  }
}
