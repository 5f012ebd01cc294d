package dev.warden.ai.conversation;

import java.time.Instant;

/**
 * A user conversation as its owner sees it.
 *
 * @param lastResponseId the stored upstream response the next turn continues, {@code null} before
 *     the first turn
 * @param truncating whether the upstream drops the oldest turns to fit the context window
 */
public record Conversation(
    String id,
    String owner,
    String model,
    String lastResponseId,
    int turns,
    boolean truncating,
    Instant createdAt,
    Instant updatedAt) {}
