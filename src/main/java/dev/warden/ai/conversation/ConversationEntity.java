package dev.warden.ai.conversation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One user conversation: its owner, model and the head of its stored response chain. */
@Entity
@Table(name = "warden_conversation")
public class ConversationEntity {

  @Id
  @Column(name = "conversation_id")
  String id;

  @Column(name = "owner", nullable = false)
  String owner;

  @Column(name = "model", nullable = false)
  String model;

  @Column(name = "last_response_id")
  String lastResponseId;

  @Column(name = "turns", nullable = false)
  int turns;

  /** Whether turns are sent with {@code truncation: "auto"} (after the window was reached). */
  @Column(name = "truncating", nullable = false)
  boolean truncating;

  /** The context the last turn left: its input plus output tokens, as the upstream counted. */
  @Column(name = "context_tokens", nullable = false)
  int contextTokens;

  /** How many times the conversation was started again from a summary of its earlier turns. */
  @Column(name = "summaries", nullable = false)
  int summaries;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  /** Optimistic lock: two turns racing on one conversation cannot fork its chain. */
  @Version
  @Column(name = "row_version", nullable = false)
  long rowVersion;

  protected ConversationEntity() {}

  ConversationEntity(String id, String owner, String model, boolean truncating, Instant now) {
    this.id = id;
    this.owner = owner;
    this.model = model;
    this.truncating = truncating;
    this.createdAt = now;
    this.updatedAt = now;
  }

  /** Field writes stay inside the entity, where Hibernate's enhanced dirty tracking sees them. */
  boolean advance(
      String expectedHead,
      String responseId,
      boolean truncate,
      int context,
      boolean summarised,
      Instant now) {
    if (!java.util.Objects.equals(lastResponseId, expectedHead)) {
      return false;
    }
    lastResponseId = responseId;
    turns++;
    truncating = truncating || truncate;
    contextTokens = context;
    if (summarised) {
      summaries++;
    }
    updatedAt = now;
    return true;
  }

  boolean ownedBy(String caller) {
    return owner.equals(caller);
  }

  Conversation view() {
    return new Conversation(
        id,
        owner,
        model,
        lastResponseId,
        turns,
        truncating,
        contextTokens,
        summaries,
        createdAt,
        updatedAt);
  }
}
