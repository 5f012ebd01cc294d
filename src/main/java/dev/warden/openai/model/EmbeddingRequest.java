package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * An embeddings request ({@code POST /embeddings}): the {@code input} to embed (see {@link
 * EmbeddingInput}), the {@code model}, and optionally {@code dimensions}, {@code encoding_format}
 * ({@code float} or {@code base64}) and {@code user}.
 */
public record EmbeddingRequest(
    @JsonbProperty("input") EmbeddingInput input,
    @JsonbProperty("model") String model,
    @JsonbProperty("dimensions") Integer dimensions,
    @JsonbProperty("encoding_format") String encodingFormat,
    @JsonbProperty("user") String user) {
  /** A request embedding one text. */
  public static EmbeddingRequest of(String model, String input) {
    return new EmbeddingRequest(EmbeddingInput.of(input), model, null, null, null);
  }

  /** A request embedding several texts, one embedding each. */
  public static EmbeddingRequest of(String model, List<String> inputs) {
    return new EmbeddingRequest(EmbeddingInput.of(inputs), model, null, null, null);
  }

  /** This request with another model. */
  public EmbeddingRequest withModel(String model) {
    return new EmbeddingRequest(input, model, dimensions, encodingFormat, user);
  }

  /** This request with another {@code encoding_format}. */
  public EmbeddingRequest withEncodingFormat(String encodingFormat) {
    return new EmbeddingRequest(input, model, dimensions, encodingFormat, user);
  }
}
