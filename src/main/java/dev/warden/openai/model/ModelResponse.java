package dev.warden.openai.model;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Responses API response object ({@code object} {@code response}), as returned by {@code POST
 * /responses} and {@code GET /responses/{id}}. {@code output} holds the generated items; {@link
 * #outputText()} concatenates their text like the SDKs' {@code output_text}. {@code instructions}
 * comes back as a string, an array of items or {@code null}, so it is kept as JSON.
 */
public record ModelResponse(
    @JsonbProperty("id") String id,
    @JsonbProperty("object") String object,
    @JsonbProperty("created_at") Long createdAt,
    @JsonbProperty("status") String status,
    @JsonbProperty("error") ResponseError error,
    @JsonbProperty("incomplete_details") JsonValue incompleteDetails,
    @JsonbProperty("instructions") JsonValue instructions,
    @JsonbProperty("model") String model,
    @JsonbProperty("output") List<ResponseItem> output,
    @JsonbProperty("parallel_tool_calls") Boolean parallelToolCalls,
    @JsonbProperty("previous_response_id") String previousResponseId,
    @JsonbProperty("conversation") JsonValue conversation,
    @JsonbProperty("reasoning") ReasoningConfig reasoning,
    @JsonbProperty("store") Boolean store,
    @JsonbProperty("background") Boolean background,
    @JsonbProperty("temperature") Double temperature,
    @JsonbProperty("top_p") Double topP,
    @JsonbProperty("text") ResponseTextConfig text,
    @JsonbProperty("tool_choice") ToolChoice toolChoice,
    @JsonbProperty("tools") List<JsonObject> tools,
    @JsonbProperty("truncation") String truncation,
    @JsonbProperty("usage") ResponseUsage usage,
    @JsonbProperty("user") String user,
    @JsonbProperty("metadata") Map<String, String> metadata,
    @JsonbProperty("max_output_tokens") Integer maxOutputTokens,
    @JsonbProperty("service_tier") String serviceTier,
    @JsonbProperty("prompt_cache_key") String promptCacheKey,
    @JsonbProperty("safety_identifier") String safetyIdentifier,
    @JsonbProperty("completed_at") Long completedAt,
    @JsonbProperty("max_tool_calls") Integer maxToolCalls,
    @JsonbProperty("top_logprobs") Integer topLogprobs,
    @JsonbProperty("prompt") JsonValue prompt) {
  public ModelResponse {
    incompleteDetails = Copies.json(incompleteDetails);
    instructions = Copies.json(instructions);
    output = Copies.list(output);
    conversation = Copies.json(conversation);
    tools = Copies.list(tools);
    metadata = Copies.map(metadata);
    prompt = Copies.json(prompt);
  }

  /**
   * The text of every {@code output_text} part of every {@code message} item, concatenated (empty
   * when there is none), like the SDKs' {@code output_text}.
   */
  public String outputText() {
    StringBuilder text = new StringBuilder();
    if (output != null) {
      for (ResponseItem item : output) {
        if (item != null && "message".equals(item.type()) && item.content() != null) {
          for (ResponseContent part : item.content()) {
            if (part != null && "output_text".equals(part.type()) && part.text() != null) {
              text.append(part.text());
            }
          }
        }
      }
    }
    return text.toString();
  }

  /** The {@code function_call} items of the output, in order (possibly empty). */
  public List<ResponseItem> functionCalls() {
    List<ResponseItem> calls = new ArrayList<>();
    if (output != null) {
      for (ResponseItem item : output) {
        if (item != null && "function_call".equals(item.type())) {
          calls.add(item);
        }
      }
    }
    return List.copyOf(calls);
  }

  /** The instructions when they are a plain string, else {@code null}. */
  public String instructionsText() {
    return instructions instanceof JsonString ? ((JsonString) instructions).getString() : null;
  }
}
