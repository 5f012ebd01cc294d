package dev.warden.openai.model;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * A tool the chat model may call: {@code type} {@code function} with a {@link FunctionDefinition},
 * or {@code custom} with the {@code custom} object ({@code name}, {@code description}, {@code
 * format}).
 */
public record Tool(
    @JsonbProperty("type") String type,
    @JsonbProperty("function") FunctionDefinition function,
    @JsonbProperty("custom") JsonObject custom) {
  /** A {@code function} tool. */
  public static Tool function(FunctionDefinition function) {
    return new Tool("function", function, null);
  }

  /** A {@code function} tool whose arguments follow the JSON schema {@code parameters}. */
  public static Tool function(String name, String description, JsonObject parameters) {
    return function(new FunctionDefinition(name, description, parameters, null));
  }

  /** A {@code function} tool, with {@code strict} schema adherence when {@code strict} is true. */
  public static Tool function(
      String name, String description, JsonObject parameters, Boolean strict) {
    return function(new FunctionDefinition(name, description, parameters, strict));
  }
}
