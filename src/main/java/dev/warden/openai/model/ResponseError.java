package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The {@code error} of a failed Responses API response: a {@code code} such as {@code server_error}
 * or {@code rate_limit_exceeded} and a {@code message}.
 */
public record ResponseError(
    @JsonbProperty("code") String code, @JsonbProperty("message") String message) {}
