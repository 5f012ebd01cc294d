package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * A page of files ({@code GET /files}): {@code data}, with {@code first_id}, {@code last_id} and
 * {@code has_more} for cursor paging.
 */
public record FileList(
    @JsonbProperty("object") String object,
    @JsonbProperty("data") List<FileObject> data,
    @JsonbProperty("first_id") String firstId,
    @JsonbProperty("last_id") String lastId,
    @JsonbProperty("has_more") Boolean hasMore) {
  public FileList {
    data = Copies.list(data);
  }
}
