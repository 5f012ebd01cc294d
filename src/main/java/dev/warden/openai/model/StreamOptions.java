package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The {@code stream_options} of a streamed request: {@code include_usage} (Chat Completions: a
 * final chunk carries the usage) and {@code include_obfuscation} (random padding on delta events).
 */
public record StreamOptions(
    @JsonbProperty("include_usage") Boolean includeUsage,
    @JsonbProperty("include_obfuscation") Boolean includeObfuscation) {
  /** Options asking for the usage in a final chunk. */
  public static StreamOptions includingUsage() {
    return new StreamOptions(true, null);
  }
}
