package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * An uploaded file ({@code object} {@code file}): its {@code id}, size in {@code bytes}, {@code
 * filename}, {@code purpose} ({@code batch}, {@code fine-tune}, {@code user_data}, ...), times in
 * epoch seconds and the deprecated {@code status} fields.
 */
public record FileObject(
    @JsonbProperty("id") String id,
    @JsonbProperty("object") String object,
    @JsonbProperty("bytes") Long bytes,
    @JsonbProperty("created_at") Long createdAt,
    @JsonbProperty("expires_at") Long expiresAt,
    @JsonbProperty("filename") String filename,
    @JsonbProperty("purpose") String purpose,
    @JsonbProperty("status") String status,
    @JsonbProperty("status_details") String statusDetails) {}
