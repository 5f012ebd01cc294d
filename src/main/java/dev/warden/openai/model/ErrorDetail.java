package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * An OpenAI error: a human-readable {@code message}, its {@code type} ({@code
 * invalid_request_error}, ...), the offending {@code param} and a machine-readable {@code code}
 * ({@code context_length_exceeded}, {@code insufficient_quota}, ...). {@code param} and {@code
 * code} are often {@code null}; a numeric {@code code} reads as its decimal string.
 */
public record ErrorDetail(
    @JsonbProperty("message") String message,
    @JsonbProperty("type") String type,
    @JsonbProperty("param") String param,
    @JsonbProperty("code") String code) {}
