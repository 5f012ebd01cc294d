package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Map;

/**
 * A batch creation request ({@code POST /batches}): the uploaded JSONL {@code input_file_id}, the
 * {@code endpoint} its lines call, the {@code completion_window} ({@code 24h}), optional {@code
 * metadata} and the {@code output_expires_after} policy.
 */
public record CreateBatchRequest(
    @JsonbProperty("input_file_id") String inputFileId,
    @JsonbProperty("endpoint") String endpoint,
    @JsonbProperty("completion_window") String completionWindow,
    @JsonbProperty("metadata") Map<String, String> metadata,
    @JsonbProperty("output_expires_after") JsonValue outputExpiresAfter) {
  public CreateBatchRequest {
    metadata = Copies.map(metadata);
    outputExpiresAfter = Copies.json(outputExpiresAfter);
  }

  /** A 24-hour batch of the requests in {@code inputFileId} against {@code endpoint}. */
  public static CreateBatchRequest of(String inputFileId, String endpoint) {
    return new CreateBatchRequest(inputFileId, endpoint, "24h", null, null);
  }
}
