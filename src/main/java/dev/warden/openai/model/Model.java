package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * A model ({@code GET /models}): its {@code id}, {@code created} time in epoch seconds, {@code
 * owned_by} and, when announced, {@code shutdown_date}.
 */
public record Model(
    @JsonbProperty("id") String id,
    @JsonbProperty("object") String object,
    @JsonbProperty("created") Long created,
    @JsonbProperty("owned_by") String ownedBy,
    @JsonbProperty("shutdown_date") String shutdownDate) {}
