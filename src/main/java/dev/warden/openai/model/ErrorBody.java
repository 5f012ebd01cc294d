package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/** The body of an OpenAI error response: {@code {"error": {...}}}. */
public record ErrorBody(@JsonbProperty("error") ErrorDetail error) {}
