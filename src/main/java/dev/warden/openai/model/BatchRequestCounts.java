package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/** The request counts of a {@link Batch}: {@code total}, {@code completed} and {@code failed}. */
public record BatchRequestCounts(
    @JsonbProperty("total") Integer total,
    @JsonbProperty("completed") Integer completed,
    @JsonbProperty("failed") Integer failed) {}
