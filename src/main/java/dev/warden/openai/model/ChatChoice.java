package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * One choice of a {@link ChatCompletion}: its {@code index}, the assistant {@code message}, the
 * {@code finish_reason} ({@code stop}, {@code length}, {@code tool_calls}, {@code content_filter})
 * and the {@code logprobs} when requested.
 */
public record ChatChoice(
    @JsonbProperty("index") Integer index,
    @JsonbProperty("message") ChatMessage message,
    @JsonbProperty("finish_reason") String finishReason,
    @JsonbProperty("logprobs") JsonValue logprobs) {
  public ChatChoice {
    logprobs = Copies.json(logprobs);
  }
}
