package dev.warden.ai.conversation;

/**
 * One answered turn of a conversation.
 *
 * @param text the answer's text (placeholders restored)
 * @param responseId the upstream's id of the stored response
 * @param number the turn's number, from 1
 * @param truncated whether this turn was sent with {@code truncation: "auto"}
 * @param requestId Warden's id of the call that answered
 */
public record Turn(
    String text, String responseId, int number, boolean truncated, String requestId) {}
