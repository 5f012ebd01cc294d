package dev.warden.openai;

/**
 * One successful upstream exchange: the decoded body, the HTTP status and the upstream {@code
 * x-request-id} (null when the server sent none).
 */
public record Exchange<T>(T body, int status, String requestId) {}
