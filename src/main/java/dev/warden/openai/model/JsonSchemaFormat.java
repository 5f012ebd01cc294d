package dev.warden.openai.model;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The {@code json_schema} of a {@link ResponseFormat}: a {@code name}, an optional {@code
 * description}, the JSON {@code schema}, and {@code strict} for exact adherence.
 */
public record JsonSchemaFormat(
    @JsonbProperty("name") String name,
    @JsonbProperty("description") String description,
    @JsonbProperty("schema") JsonObject schema,
    @JsonbProperty("strict") Boolean strict) {}
