package dev.warden.openai.model;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * A tool call made by the assistant ({@code message.tool_calls[]}): {@code type} {@code function}
 * with a {@link FunctionCall}, or {@code custom} with the {@code custom} object ({@code name},
 * {@code input}).
 */
public record ToolCall(
    @JsonbProperty("id") String id,
    @JsonbProperty("type") String type,
    @JsonbProperty("function") FunctionCall function,
    @JsonbProperty("custom") JsonObject custom) {
  /** A {@code function} tool call. */
  public static ToolCall function(String id, String name, String arguments) {
    return new ToolCall(id, "function", new FunctionCall(name, arguments), null);
  }
}
