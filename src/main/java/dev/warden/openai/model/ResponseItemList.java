package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * A page of Responses items ({@code GET /responses/{id}/input_items}): {@code data}, with {@code
 * first_id}, {@code last_id} and {@code has_more} for cursor paging.
 */
public record ResponseItemList(
    @JsonbProperty("object") String object,
    @JsonbProperty("data") List<ResponseItem> data,
    @JsonbProperty("first_id") String firstId,
    @JsonbProperty("last_id") String lastId,
    @JsonbProperty("has_more") Boolean hasMore) {
  public ResponseItemList {
    data = Copies.list(data);
  }
}
