package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/** The list of models ({@code GET /models}, {@code object} {@code list}). */
public record ModelList(
    @JsonbProperty("object") String object, @JsonbProperty("data") List<Model> data) {
  public ModelList {
    data = Copies.list(data);
  }
}
