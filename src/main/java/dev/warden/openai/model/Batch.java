package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Map;

/**
 * A batch ({@code object} {@code batch}): its {@code status} ({@code validating}, {@code
 * in_progress}, {@code finalizing}, {@code completed}, {@code failed}, {@code expired}, {@code
 * cancelling}, {@code cancelled}), files, {@code request_counts}, timestamps in epoch seconds,
 * {@code errors} and {@code usage} (kept as JSON) and {@code metadata}.
 */
public record Batch(
    @JsonbProperty("id") String id,
    @JsonbProperty("object") String object,
    @JsonbProperty("endpoint") String endpoint,
    @JsonbProperty("model") String model,
    @JsonbProperty("errors") JsonValue errors,
    @JsonbProperty("input_file_id") String inputFileId,
    @JsonbProperty("completion_window") String completionWindow,
    @JsonbProperty("status") String status,
    @JsonbProperty("output_file_id") String outputFileId,
    @JsonbProperty("error_file_id") String errorFileId,
    @JsonbProperty("created_at") Long createdAt,
    @JsonbProperty("in_progress_at") Long inProgressAt,
    @JsonbProperty("expires_at") Long expiresAt,
    @JsonbProperty("finalizing_at") Long finalizingAt,
    @JsonbProperty("completed_at") Long completedAt,
    @JsonbProperty("failed_at") Long failedAt,
    @JsonbProperty("expired_at") Long expiredAt,
    @JsonbProperty("cancelling_at") Long cancellingAt,
    @JsonbProperty("cancelled_at") Long cancelledAt,
    @JsonbProperty("request_counts") BatchRequestCounts requestCounts,
    @JsonbProperty("usage") JsonValue usage,
    @JsonbProperty("metadata") Map<String, String> metadata) {
  public Batch {
    errors = Copies.json(errors);
    usage = Copies.json(usage);
    metadata = Copies.map(metadata);
  }
}
