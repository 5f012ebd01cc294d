package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * A page of batches ({@code GET /batches}): {@code data}, with {@code first_id}, {@code last_id}
 * and {@code has_more} for cursor paging.
 */
public record BatchList(
    @JsonbProperty("object") String object,
    @JsonbProperty("data") List<Batch> data,
    @JsonbProperty("first_id") String firstId,
    @JsonbProperty("last_id") String lastId,
    @JsonbProperty("has_more") Boolean hasMore) {
  public BatchList {
    data = Copies.list(data);
  }
}
