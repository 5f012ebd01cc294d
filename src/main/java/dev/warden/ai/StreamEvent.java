package dev.warden.ai;

import dev.warden.call.FallbackKind;
import dev.warden.openai.model.ToolCall;
import dev.warden.openai.stream.StreamResult;

/**
 * What an injected bean receives from a stream: text as it is generated, tool calls once their
 * arguments are complete, and finally the whole result.
 */
public sealed interface StreamEvent {

  /** New output text. */
  record TextDelta(String text) implements StreamEvent {}

  /** A tool call whose arguments are complete (never a partial one). */
  record ToolCallReady(ToolCall toolCall) implements StreamEvent {}

  /**
   * The last event: full text, tool calls, usage and finish reason, and who answered.
   *
   * @param requestId Warden's id for the call
   * @param answeredBy the model that answered (a fallback model or {@value
   *     FallbackChain#DETERMINISTIC_MODEL} when a fallback did)
   */
  record Completed(StreamResult result, String requestId, String answeredBy, FallbackKind fallback)
      implements StreamEvent {}
}
