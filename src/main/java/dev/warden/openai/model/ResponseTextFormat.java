package dev.warden.openai.model;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The Responses {@code text.format}: {@code type} {@code text}, {@code json_object}, or {@code
 * json_schema} with {@code name}, {@code schema}, {@code strict} and {@code description} inline
 * (flat, unlike the Chat Completions {@code response_format}).
 */
public record ResponseTextFormat(
    @JsonbProperty("type") String type,
    @JsonbProperty("name") String name,
    @JsonbProperty("schema") JsonObject schema,
    @JsonbProperty("strict") Boolean strict,
    @JsonbProperty("description") String description) {
  /** Plain text output (the default). */
  public static ResponseTextFormat text() {
    return new ResponseTextFormat("text", null, null, null, null);
  }

  /** JSON mode: any valid JSON object. */
  public static ResponseTextFormat jsonObject() {
    return new ResponseTextFormat("json_object", null, null, null, null);
  }

  /** Structured Outputs: JSON matching {@code schema}. */
  public static ResponseTextFormat jsonSchema(String name, JsonObject schema, Boolean strict) {
    return new ResponseTextFormat("json_schema", name, schema, strict, null);
  }
}
