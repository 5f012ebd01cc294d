package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * A Chat Completions response ({@code object} {@code chat.completion}): the {@code choices}, the
 * {@code usage} and identification of the model and tier that served it.
 */
public record ChatCompletion(
    @JsonbProperty("id") String id,
    @JsonbProperty("object") String object,
    @JsonbProperty("created") Long created,
    @JsonbProperty("model") String model,
    @JsonbProperty("choices") List<ChatChoice> choices,
    @JsonbProperty("usage") Usage usage,
    @JsonbProperty("service_tier") String serviceTier,
    @JsonbProperty("system_fingerprint") String systemFingerprint) {
  public ChatCompletion {
    choices = Copies.list(choices);
  }

  /** The message of the first choice, or {@code null} when there is none. */
  public ChatMessage firstMessage() {
    if (choices == null || choices.isEmpty() || choices.get(0) == null) {
      return null;
    }
    return choices.get(0).message();
  }

  /**
   * The text of the first choice's message, or {@code null} when there is none (for example when
   * the model only called tools).
   */
  public String firstText() {
    ChatMessage message = firstMessage();
    return message == null ? null : message.text();
  }
}
