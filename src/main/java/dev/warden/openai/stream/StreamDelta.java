package dev.warden.openai.stream;

import dev.warden.openai.model.ToolCall;
import java.util.List;

/**
 * What one upstream event means for the caller.
 *
 * @param forward the event to relay to an HTTP caller, possibly rewritten; {@code null} when the
 *     caller must not see it (the usage chunk it did not ask for)
 * @param text new output text (empty when none)
 * @param completedToolCalls tool calls whose arguments are now complete (never partial ones)
 */
public record StreamDelta(SseEvent forward, String text, List<ToolCall> completedToolCalls) {
  public StreamDelta {
    completedToolCalls = List.copyOf(completedToolCalls);
  }
}
