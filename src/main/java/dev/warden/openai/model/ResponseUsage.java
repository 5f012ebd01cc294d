package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * Token usage of a Responses API response, with the cached input tokens and the reasoning output
 * tokens in the details.
 */
public record ResponseUsage(
    @JsonbProperty("input_tokens") Integer inputTokens,
    @JsonbProperty("input_tokens_details") InputTokensDetails inputTokensDetails,
    @JsonbProperty("output_tokens") Integer outputTokens,
    @JsonbProperty("output_tokens_details") OutputTokensDetails outputTokensDetails,
    @JsonbProperty("total_tokens") Integer totalTokens) {
  /** Breakdown of the input tokens: {@code cached_tokens} were served from the prompt cache. */
  public record InputTokensDetails(
      @JsonbProperty("cached_tokens") Integer cachedTokens,
      @JsonbProperty("cache_write_tokens") Integer cacheWriteTokens) {}

  /** Breakdown of the output tokens: {@code reasoning_tokens} were spent on hidden reasoning. */
  public record OutputTokensDetails(@JsonbProperty("reasoning_tokens") Integer reasoningTokens) {}
}
