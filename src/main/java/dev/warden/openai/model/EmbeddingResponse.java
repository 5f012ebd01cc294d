package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * An embeddings response ({@code object} {@code list}): one {@link Embedding} per input in {@code
 * data}, the {@code model} and the {@code usage}.
 */
public record EmbeddingResponse(
    @JsonbProperty("object") String object,
    @JsonbProperty("data") List<Embedding> data,
    @JsonbProperty("model") String model,
    @JsonbProperty("usage") EmbeddingUsage usage) {
  public EmbeddingResponse {
    data = Copies.list(data);
  }
}
