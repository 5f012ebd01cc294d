package dev.warden.mock;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/chat/completions}: deterministic answers, tool calls, structured outputs, SSE.
 */
final class ChatCompletions {
  static final int REASONING_TOKENS = 16;
  private static final int PIECE = 8;
  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private ChatCompletions() {}

  /** What the mock "generates" for one request. */
  private record Plan(
      String model,
      int n,
      String text,
      List<ToolPlanner.FunctionTool> calls,
      String finishReason,
      int promptTokens,
      int visibleTokens,
      int reasoningTokens,
      String serviceTier) {
    int completionTokens() {
      return n * (visibleTokens + reasoningTokens);
    }
  }

  /** The non-streaming {@code chat.completion} object. */
  static JsonObject complete(JsonObject body) {
    Plan plan = plan(body);
    String id = JsonSupport.alnumId("chatcmpl-", 29);
    long created = JsonSupport.now();
    JsonArrayBuilder choices = JsonSupport.JSON.createArrayBuilder();
    for (int i = 0; i < plan.n(); i++) {
      JsonObjectBuilder message = JsonSupport.JSON.createObjectBuilder().add("role", "assistant");
      if (plan.calls().isEmpty()) {
        message.add("content", plan.text());
      } else {
        message.addNull("content");
        JsonArrayBuilder toolCalls = JsonSupport.JSON.createArrayBuilder();
        for (ToolPlanner.FunctionTool tool : plan.calls()) {
          toolCalls.add(
              JsonSupport.JSON
                  .createObjectBuilder()
                  .add("id", JsonSupport.alnumId("call_", 24))
                  .add("type", "function")
                  .add(
                      "function",
                      JsonSupport.JSON
                          .createObjectBuilder()
                          .add("name", tool.name())
                          .add("arguments", tool.arguments())));
        }
        message.add("tool_calls", toolCalls);
      }
      message.addNull("refusal").add("annotations", JsonValue.EMPTY_JSON_ARRAY);
      choices.add(
          JsonSupport.JSON
              .createObjectBuilder()
              .add("index", i)
              .add("message", message)
              .addNull("logprobs")
              .add("finish_reason", plan.finishReason()));
    }
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("id", id)
        .add("object", "chat.completion")
        .add("created", created)
        .add("model", plan.model())
        .add("choices", choices)
        .add("usage", usage(plan))
        .add("service_tier", plan.serviceTier())
        .add("system_fingerprint", JsonSupport.fingerprint(plan.model()))
        .build();
  }

  /** The SSE body for {@code stream: true}; {@code events[0]} receives the number of events. */
  static String stream(JsonObject body, int[] events) {
    Plan plan = plan(body);
    JsonObject streamOptions = JsonSupport.object(body, "stream_options");
    boolean includeUsage = JsonSupport.bool(streamOptions, "include_usage", false);
    boolean obfuscation = JsonSupport.bool(streamOptions, "include_obfuscation", true);
    String id = JsonSupport.alnumId("chatcmpl-", 29);
    long created = JsonSupport.now();
    List<JsonObject> chunks = new ArrayList<>();
    ChunkFactory factory =
        new ChunkFactory(id, created, plan.model(), plan.serviceTier(), includeUsage, obfuscation);
    for (int i = 0; i < plan.n(); i++) {
      JsonObjectBuilder role = JsonSupport.JSON.createObjectBuilder().add("role", "assistant");
      if (plan.calls().isEmpty()) {
        role.add("content", "");
      } else {
        role.addNull("content");
      }
      role.addNull("refusal");
      chunks.add(factory.chunk(i, role.build(), null));
      if (plan.calls().isEmpty()) {
        for (String piece : JsonSupport.pieces(plan.text(), PIECE)) {
          chunks.add(
              factory.chunk(
                  i, JsonSupport.JSON.createObjectBuilder().add("content", piece).build(), null));
        }
      } else {
        for (int c = 0; c < plan.calls().size(); c++) {
          ToolPlanner.FunctionTool tool = plan.calls().get(c);
          chunks.add(
              factory.chunk(
                  i,
                  toolDelta(
                      JsonSupport.JSON
                          .createObjectBuilder()
                          .add("index", c)
                          .add("id", JsonSupport.alnumId("call_", 24))
                          .add("type", "function")
                          .add(
                              "function",
                              JsonSupport.JSON
                                  .createObjectBuilder()
                                  .add("name", tool.name())
                                  .add("arguments", ""))),
                  null));
          for (String piece : JsonSupport.pieces(tool.arguments(), PIECE)) {
            chunks.add(
                factory.chunk(
                    i,
                    toolDelta(
                        JsonSupport.JSON
                            .createObjectBuilder()
                            .add("index", c)
                            .add(
                                "function",
                                JsonSupport.JSON.createObjectBuilder().add("arguments", piece))),
                    null));
          }
        }
      }
      chunks.add(factory.chunk(i, JsonValue.EMPTY_JSON_OBJECT, plan.finishReason()));
    }
    if (includeUsage) {
      chunks.add(factory.usageChunk(usage(plan)));
    }
    StringBuilder sse = new StringBuilder();
    for (JsonObject chunk : chunks) {
      sse.append("data: ").append(chunk).append("\n\n");
    }
    sse.append("data: [DONE]\n\n");
    events[0] = chunks.size() + 1;
    return sse.toString();
  }

  private static JsonObject toolDelta(JsonObjectBuilder call) {
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("tool_calls", JsonSupport.JSON.createArrayBuilder().add(call))
        .build();
  }

  /** Builds {@code chat.completion.chunk} objects sharing id, created, model. */
  private static final class ChunkFactory {
    private final String id;
    private final long created;
    private final String model;
    private final String serviceTier;
    private final boolean includeUsage;
    private final boolean obfuscation;

    ChunkFactory(
        String id,
        long created,
        String model,
        String serviceTier,
        boolean includeUsage,
        boolean obfuscation) {
      this.id = id;
      this.created = created;
      this.model = model;
      this.serviceTier = serviceTier;
      this.includeUsage = includeUsage;
      this.obfuscation = obfuscation;
    }

    private JsonObjectBuilder base() {
      return JsonSupport.JSON
          .createObjectBuilder()
          .add("id", id)
          .add("object", "chat.completion.chunk")
          .add("created", created)
          .add("model", model)
          .add("service_tier", serviceTier)
          .add("system_fingerprint", JsonSupport.fingerprint(model));
    }

    JsonObject chunk(int index, JsonObject delta, String finishReason) {
      JsonObjectBuilder choice =
          JsonSupport.JSON
              .createObjectBuilder()
              .add("index", index)
              .add("delta", delta)
              .addNull("logprobs");
      JsonSupport.addNullable(choice, "finish_reason", finishReason);
      JsonObjectBuilder chunk =
          base().add("choices", JsonSupport.JSON.createArrayBuilder().add(choice));
      if (includeUsage) {
        chunk.addNull("usage");
      }
      if (obfuscation) {
        chunk.add("obfuscation", padding(delta.toString()));
      }
      return chunk.build();
    }

    JsonObject usageChunk(JsonObject usage) {
      JsonObjectBuilder chunk =
          base().add("choices", JsonValue.EMPTY_JSON_ARRAY).add("usage", usage);
      if (obfuscation) {
        chunk.add("obfuscation", "");
      }
      return chunk.build();
    }

    /** Deterministic padding so that chunk sizes are less revealing (like OpenAI's). */
    private static String padding(String delta) {
      int length = Math.max(0, 12 - delta.length() % 12);
      return "mockpadding0".substring(0, length);
    }
  }

  // ---- planning --------------------------------------------------------------------------

  private static Plan plan(JsonObject body) {
    String model = JsonSupport.requireModel(body);
    JsonValue messagesValue = body.get("messages");
    if (messagesValue == null || messagesValue.getValueType() == JsonValue.ValueType.NULL) {
      throw ApiException.invalid(
          "messages", "Missing required parameter: 'messages'.", "missing_required_parameter");
    }
    if (messagesValue.getValueType() != JsonValue.ValueType.ARRAY) {
      throw ApiException.invalid(
          "messages", "Invalid type for 'messages': expected an array.", "invalid_type");
    }
    JsonArray messages = messagesValue.asJsonArray();
    if (messages.isEmpty()) {
      throw ApiException.invalid(
          "messages",
          "Invalid 'messages': empty array. Expected an array with minimum length 1.",
          "empty_array");
    }
    Integer nValue = JsonSupport.integer(body, "n");
    int n = nValue == null ? 1 : nValue;
    if (n < 1 || n > 128) {
      throw ApiException.invalid("n", "Invalid 'n': must be between 1 and 128.", "invalid_value");
    }

    int promptChars = 0;
    String lastUserText = "";
    String lastRole = null;
    for (int i = 0; i < messages.size(); i++) {
      JsonValue m = messages.get(i);
      if (m.getValueType() != JsonValue.ValueType.OBJECT) {
        throw ApiException.invalid(
            "messages.[" + i + "]", "Invalid 'messages[" + i + "]': expected an object.");
      }
      JsonObject message = m.asJsonObject();
      String role = JsonSupport.string(message, "role");
      if (role == null) {
        throw ApiException.invalid(
            "messages.[" + i + "].role",
            "Missing required parameter: 'messages[" + i + "].role'.",
            "missing_required_parameter");
      }
      if (!ROLES.contains(role)) {
        throw ApiException.invalid(
            "messages.[" + i + "].role",
            "Invalid value: '"
                + role
                + "'. Supported values are: 'system', 'assistant', 'user',"
                + " 'tool', 'function' and 'developer'.",
            "invalid_value");
      }
      if ("tool".equals(role) && JsonSupport.string(message, "tool_call_id") == null) {
        throw ApiException.invalid(
            "messages.[" + i + "].tool_call_id",
            "Missing required parameter: 'messages[" + i + "].tool_call_id'.",
            "missing_required_parameter");
      }
      String text = contentText(message.get("content"));
      promptChars += text.length();
      if ("user".equals(role)) {
        lastUserText = text;
      }
      lastRole = role;
    }
    int promptTokens = (promptChars + 3) / 4 + 3 * messages.size();

    List<ToolPlanner.FunctionTool> calls = List.of();
    String text = null;
    String finishReason = "stop";
    if ("tool".equals(lastRole)) {
      StringBuilder results = new StringBuilder();
      int start = messages.size();
      while (start > 0
          && "tool".equals(JsonSupport.string(messages.getJsonObject(start - 1), "role"))) {
        start--;
      }
      for (int i = start; i < messages.size(); i++) {
        results.append(contentText(messages.getJsonObject(i).get("content")));
      }
      text = "Mock answer using tool results: " + JsonSupport.first(results.toString(), 80);
    } else {
      List<ToolPlanner.FunctionTool> tools =
          ToolPlanner.chatTools(JsonSupport.array(body, "tools"));
      if ("user".equals(lastRole)) {
        calls =
            ToolPlanner.select(
                tools,
                body.get("tool_choice"),
                JsonSupport.bool(body, "parallel_tool_calls", true));
      }
      if (calls.isEmpty()) {
        text = "Mock answer to: " + JsonSupport.first(lastUserText, 80);
      } else {
        finishReason = "tool_calls";
      }
    }

    int visibleTokens;
    if (calls.isEmpty()) {
      text = formatted(text, JsonSupport.object(body, "response_format"));
      Integer limit = JsonSupport.integer(body, "max_completion_tokens");
      if (limit == null) {
        limit = JsonSupport.integer(body, "max_tokens");
      }
      if (limit != null && limit < 1) {
        throw ApiException.invalid(
            "max_completion_tokens",
            "Invalid 'max_completion_tokens': integer below minimum value. Expected a value >= 1.",
            "integer_below_min_value");
      }
      if (limit != null && JsonSupport.tokens(text) > limit) {
        text = JsonSupport.first(text, limit * 4);
        finishReason = "length";
      }
      visibleTokens = JsonSupport.tokens(text);
    } else {
      StringBuilder arguments = new StringBuilder();
      for (ToolPlanner.FunctionTool call : calls) {
        arguments.append(call.arguments());
      }
      visibleTokens = JsonSupport.tokens(arguments.toString());
    }
    int reasoningTokens = JsonSupport.isReasoningModel(model) ? REASONING_TOKENS : 0;
    String tier = JsonSupport.string(body, "service_tier");
    String serviceTier = tier == null || "auto".equals(tier) ? "default" : tier;
    return new Plan(
        model,
        n,
        text,
        calls,
        finishReason,
        promptTokens,
        visibleTokens,
        reasoningTokens,
        serviceTier);
  }

  /** Applies {@code response_format}: json_schema → an instance, json_object → {"answer": ...}. */
  private static String formatted(String text, JsonObject responseFormat) {
    String type = JsonSupport.string(responseFormat, "type");
    if (type == null || "text".equals(type)) {
      return text;
    }
    if ("json_object".equals(type)) {
      return JsonSupport.JSON.createObjectBuilder().add("answer", text).build().toString();
    }
    if ("json_schema".equals(type)) {
      JsonObject jsonSchema = JsonSupport.object(responseFormat, "json_schema");
      if (jsonSchema == null) {
        throw ApiException.invalid(
            "response_format.json_schema",
            "Missing required parameter: 'response_format.json_schema'.",
            "missing_required_parameter");
      }
      return SchemaSampler.sample(jsonSchema.get("schema")).toString();
    }
    throw ApiException.invalid(
        "response_format.type",
        "Invalid value: '"
            + type
            + "'. Supported values are: 'json_object', 'json_schema', and"
            + " 'text'.",
        "invalid_value");
  }

  /** The text of a message's content: a string, or the text parts of an array. */
  static String contentText(JsonValue content) {
    if (content == null || content.getValueType() == JsonValue.ValueType.NULL) {
      return "";
    }
    if (content instanceof JsonString) {
      return ((JsonString) content).getString();
    }
    StringBuilder sb = new StringBuilder();
    if (content.getValueType() == JsonValue.ValueType.ARRAY) {
      for (JsonValue part : content.asJsonArray()) {
        if (part instanceof JsonString) {
          sb.append(((JsonString) part).getString());
        } else if (part.getValueType() == JsonValue.ValueType.OBJECT) {
          String text = JsonSupport.string(part.asJsonObject(), "text");
          if (text != null) {
            sb.append(text);
          }
        }
      }
    }
    return sb.toString();
  }

  /** Chat Completions usage with the detail objects OpenAI sends. */
  private static JsonObject usage(Plan plan) {
    int completion = plan.completionTokens();
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("prompt_tokens", plan.promptTokens())
        .add("completion_tokens", completion)
        .add("total_tokens", plan.promptTokens() + completion)
        .add(
            "prompt_tokens_details",
            JsonSupport.JSON.createObjectBuilder().add("cached_tokens", 0).add("audio_tokens", 0))
        .add(
            "completion_tokens_details",
            JsonSupport.JSON
                .createObjectBuilder()
                .add("reasoning_tokens", plan.n() * plan.reasoningTokens())
                .add("audio_tokens", 0)
                .add("accepted_prediction_tokens", 0)
                .add("rejected_prediction_tokens", 0))
        .build();
  }
}
