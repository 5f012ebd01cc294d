package dev.warden.ai.conversation;

/**
 * One answered turn of a conversation.
 *
 * @param text the answer's text (placeholders restored)
 * @param responseId the upstream's id of the stored response
 * @param number the turn's number, from 1
 * @param truncated whether this turn was sent with {@code truncation: "auto"}
 * @param requestId Warden's id of the call that answered
 * @param summaryRequestId Warden's id of the call that summarised the earlier turns before this one
 *     (the turn then started a new chain from the summary), {@code null} when there was none
 */
public record Turn(
    String text,
    String responseId,
    int number,
    boolean truncated,
    String requestId,
    String summaryRequestId) {}
