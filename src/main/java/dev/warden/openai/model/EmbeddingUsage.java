package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/** Token usage of an embeddings request (embeddings have no output tokens). */
public record EmbeddingUsage(
    @JsonbProperty("prompt_tokens") Integer promptTokens,
    @JsonbProperty("total_tokens") Integer totalTokens) {}
