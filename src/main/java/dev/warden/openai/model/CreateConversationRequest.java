package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /conversations}: optional {@code metadata} (up to 16 string pairs) and up
 * to 20 initial {@code items} (the input items of the Responses API). Both are left out of the JSON
 * when {@code null}.
 */
public record CreateConversationRequest(
    @JsonbProperty("metadata") Map<String, String> metadata,
    @JsonbProperty("items") List<ResponseItem> items) {
  public CreateConversationRequest {
    metadata = Copies.map(metadata);
    items = Copies.list(items);
  }

  /** A conversation starting with {@code items} (none when {@code null}). */
  public static CreateConversationRequest of(List<ResponseItem> items) {
    return new CreateConversationRequest(null, items);
  }
}
