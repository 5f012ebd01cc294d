package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Map;

/** The body of {@code POST /conversations/{id}}: the conversation's new {@code metadata}. */
public record UpdateConversationRequest(@JsonbProperty("metadata") Map<String, String> metadata) {
  public UpdateConversationRequest {
    metadata = Copies.map(metadata);
  }
}
