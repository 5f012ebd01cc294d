package dev.warden.guard;

import jakarta.json.JsonObject;

/**
 * A tool call the model proposed, as a {@link ToolCallValidator} sees it.
 *
 * @param callId the call's id ({@code call_...})
 * @param name the tool's name
 * @param arguments the parsed arguments (they have passed the tool's schema)
 */
public record ProposedToolCall(String callId, String name, JsonObject arguments) {}
