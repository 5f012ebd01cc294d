package dev.warden.openai.stream;

import dev.warden.openai.model.ToolCall;
import java.util.List;

/**
 * A finished stream: the full text, the complete tool calls, why it stopped ({@code stop}, {@code
 * length}, {@code tool_calls}, or a Responses status such as {@code completed} or {@code
 * incomplete}), the tokens, the model that answered, the upstream object id, and the assembled
 * object ({@link dev.warden.openai.model.ChatCompletion} or {@link
 * dev.warden.openai.model.ModelResponse}).
 */
public record StreamResult(
    String text,
    List<ToolCall> toolCalls,
    String finishReason,
    TokenUsage usage,
    String model,
    String id,
    Object body) {
  public StreamResult {
    toolCalls = List.copyOf(toolCalls);
  }
}
