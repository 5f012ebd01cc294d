package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * Token usage of a Chat Completions request, with the cached prompt tokens and the reasoning tokens
 * in the details.
 */
public record Usage(
    @JsonbProperty("prompt_tokens") Integer promptTokens,
    @JsonbProperty("completion_tokens") Integer completionTokens,
    @JsonbProperty("total_tokens") Integer totalTokens,
    @JsonbProperty("prompt_tokens_details") PromptTokensDetails promptTokensDetails,
    @JsonbProperty("completion_tokens_details") CompletionTokensDetails completionTokensDetails) {}
