package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * Breakdown of the completion tokens of a {@link Usage}: {@code reasoning_tokens} were spent on
 * hidden reasoning; prediction tokens count Predicted Outputs.
 */
public record CompletionTokensDetails(
    @JsonbProperty("reasoning_tokens") Integer reasoningTokens,
    @JsonbProperty("audio_tokens") Integer audioTokens,
    @JsonbProperty("accepted_prediction_tokens") Integer acceptedPredictionTokens,
    @JsonbProperty("rejected_prediction_tokens") Integer rejectedPredictionTokens,
    @JsonbProperty("text_tokens") Integer textTokens) {}
