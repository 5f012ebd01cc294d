package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * The body of {@code POST /conversations/{id}/items}: up to 20 {@code items} to add (the input
 * items of the Responses API).
 */
public record ConversationItemsRequest(@JsonbProperty("items") List<ResponseItem> items) {
  public ConversationItemsRequest {
    items = Copies.list(items);
  }
}
