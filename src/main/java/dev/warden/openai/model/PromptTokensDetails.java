package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * Breakdown of the prompt tokens of a {@link Usage}: {@code cached_tokens} were served from the
 * prompt cache.
 */
public record PromptTokensDetails(
    @JsonbProperty("cached_tokens") Integer cachedTokens,
    @JsonbProperty("audio_tokens") Integer audioTokens,
    @JsonbProperty("cache_write_tokens") Integer cacheWriteTokens,
    @JsonbProperty("text_tokens") Integer textTokens,
    @JsonbProperty("image_tokens") Integer imageTokens) {}
