package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * One embedding of an {@link EmbeddingResponse}: the {@code index} of its input and the {@code
 * embedding}, a float array or a base64 string as requested by {@code encoding_format}, kept as
 * received.
 */
public record Embedding(
    @JsonbProperty("object") String object,
    @JsonbProperty("index") Integer index,
    @JsonbProperty("embedding") EmbeddingVector embedding) {
  /** The vector, decoded from either form; {@code null} when there is no embedding. */
  public float[] vector() {
    return embedding == null ? null : embedding.vector();
  }
}
