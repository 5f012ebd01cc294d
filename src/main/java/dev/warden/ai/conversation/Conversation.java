package dev.warden.ai.conversation;

import java.time.Instant;

/**
 * A user conversation as its owner sees it.
 *
 * @param lastResponseId the stored upstream response the next turn continues, {@code null} before
 *     the first turn
 * @param truncating whether the upstream drops the oldest turns to fit the context window
 * @param contextTokens the context the last turn left (its input plus output tokens)
 * @param summaries how many times the conversation was started again from a summary of its earlier
 *     turns ({@code warden.conversation.truncation=summarise})
 */
public record Conversation(
    String id,
    String owner,
    String model,
    String lastResponseId,
    int turns,
    boolean truncating,
    int contextTokens,
    int summaries,
    Instant createdAt,
    Instant updatedAt) {}
