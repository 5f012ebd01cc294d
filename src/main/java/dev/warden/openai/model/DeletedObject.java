package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The confirmation of a deletion ({@code DELETE /responses/{id}}, {@code DELETE /files/{id}}, ...):
 * the {@code id}, its {@code object} type and {@code deleted}.
 */
public record DeletedObject(
    @JsonbProperty("id") String id,
    @JsonbProperty("object") String object,
    @JsonbProperty("deleted") Boolean deleted) {}
