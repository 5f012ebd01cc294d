package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Map;

/**
 * A conversation of OpenAI's Conversations API ({@code POST /conversations}, {@code GET
 * /conversations/{id}}): its {@code id}, {@code object} ({@code conversation}), {@code metadata}
 * and {@code created_at} (Unix seconds). Its items are read with {@code GET
 * /conversations/{id}/items} as a {@link ResponseItemList}.
 */
public record ConversationObject(
    @JsonbProperty("id") String id,
    @JsonbProperty("object") String object,
    @JsonbProperty("metadata") Map<String, String> metadata,
    @JsonbProperty("created_at") Long createdAt) {
  public ConversationObject {
    metadata = Copies.map(metadata);
  }

  /** This conversation with other metadata. */
  public ConversationObject withMetadata(Map<String, String> metadata) {
    return new ConversationObject(id, object, metadata, createdAt);
  }
}
