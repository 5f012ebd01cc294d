package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * A chat message, in requests ({@code messages}) and responses ({@code choices[].message}). {@code
 * role} is {@code developer}, {@code system}, {@code user}, {@code assistant} or {@code tool};
 * {@code content} is a string or an array of parts (see {@link MessageContent}), and is {@code
 * null} in an assistant message that only calls tools. Use the static factories to build messages.
 */
public record ChatMessage(
    @JsonbProperty("role") String role,
    @JsonbProperty("content") MessageContent content,
    @JsonbProperty("name") String name,
    @JsonbProperty("tool_calls") List<ToolCall> toolCalls,
    @JsonbProperty("tool_call_id") String toolCallId,
    @JsonbProperty("refusal") String refusal,
    @JsonbProperty("annotations") JsonValue annotations,
    @JsonbProperty("audio") JsonValue audio) {
  public ChatMessage {
    toolCalls = Copies.list(toolCalls);
    annotations = Copies.json(annotations);
    audio = Copies.json(audio);
  }

  /** A {@code system} message with string content. */
  public static ChatMessage system(String content) {
    return of("system", MessageContent.of(content));
  }

  /** A {@code developer} message with string content. */
  public static ChatMessage developer(String content) {
    return of("developer", MessageContent.of(content));
  }

  /** A {@code user} message with string content. */
  public static ChatMessage user(String content) {
    return of("user", MessageContent.of(content));
  }

  /** A {@code user} message with an array of parts (text, images, audio, files). */
  public static ChatMessage user(List<ContentPart> parts) {
    return of("user", MessageContent.of(parts));
  }

  /** A {@code user} message with an array of parts (text, images, audio, files). */
  public static ChatMessage user(ContentPart... parts) {
    return of("user", MessageContent.of(parts));
  }

  /** An {@code assistant} message with string content (a previous turn). */
  public static ChatMessage assistant(String content) {
    return of("assistant", MessageContent.of(content));
  }

  /** An {@code assistant} message that called tools, without content (a previous turn). */
  public static ChatMessage assistant(List<ToolCall> toolCalls) {
    return new ChatMessage("assistant", null, null, toolCalls, null, null, null, null);
  }

  /** A {@code tool} message carrying the result of the tool call {@code toolCallId}. */
  public static ChatMessage tool(String toolCallId, String content) {
    return new ChatMessage(
        "tool", MessageContent.of(content), null, null, toolCallId, null, null, null);
  }

  /** A message with the given role and content. */
  public static ChatMessage of(String role, MessageContent content) {
    return new ChatMessage(role, content, null, null, null, null, null, null);
  }

  /**
   * All the text of the content: the string, or the {@code text} parts concatenated; {@code null}
   * when there is no content.
   */
  public String text() {
    return content == null ? null : content.text();
  }

  /** This message with a participant {@code name}. */
  public ChatMessage withName(String name) {
    return new ChatMessage(role, content, name, toolCalls, toolCallId, refusal, annotations, audio);
  }
}
