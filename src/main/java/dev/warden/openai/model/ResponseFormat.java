package dev.warden.openai.model;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The chat {@code response_format}: {@code type} {@code text}, {@code json_object}, or {@code
 * json_schema} with its {@link JsonSchemaFormat} (Structured Outputs).
 */
public record ResponseFormat(
    @JsonbProperty("type") String type, @JsonbProperty("json_schema") JsonSchemaFormat jsonSchema) {
  /** Plain text output (the default). */
  public static ResponseFormat text() {
    return new ResponseFormat("text", null);
  }

  /** JSON mode: any valid JSON object. */
  public static ResponseFormat jsonObject() {
    return new ResponseFormat("json_object", null);
  }

  /** Structured Outputs: JSON matching {@code schema}. */
  public static ResponseFormat jsonSchema(String name, JsonObject schema, Boolean strict) {
    return jsonSchema(new JsonSchemaFormat(name, null, schema, strict));
  }

  /** Structured Outputs: JSON matching the given schema. */
  public static ResponseFormat jsonSchema(JsonSchemaFormat jsonSchema) {
    return new ResponseFormat("json_schema", jsonSchema);
  }
}
