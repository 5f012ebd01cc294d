package dev.warden.mock;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Responses API: create (plain, background, streaming), retrieve, delete, cancel, input items.
 */
final class ResponsesApi {
  private static final int PIECE = 8;
  private static final Set<String> MESSAGE_ROLES =
      Set.of("user", "assistant", "system", "developer");

  private final Map<String, Stored> store = new ConcurrentHashMap<>();
  private final ConversationsApi conversations;

  ResponsesApi(ConversationsApi conversations) {
    this.conversations = conversations;
  }

  void clear() {
    store.clear();
  }

  // ---- endpoints -------------------------------------------------------------------------

  /** {@code POST /v1/responses}. */
  MockReply create(JsonObject body) {
    Prepared p = prepare(body);
    boolean store = JsonSupport.bool(body, "store", true);
    boolean background = JsonSupport.bool(body, "background", false);
    boolean stream = JsonSupport.bool(body, "stream", false);
    if (background && !store) {
      throw ApiException.invalid(
          "background", "Background mode requires 'store' to be true.", "invalid_value");
    }
    Stored stored = new Stored(p, background && !stream);
    if (store) {
      this.store.put(p.id, stored);
    }
    if (p.conversation != null) {
      // the input and output items join the conversation once the response completes
      List<JsonObject> added = new ArrayList<>();
      p.inputItems.forEach(i -> added.add(i.asJsonObject()));
      p.output.forEach(i -> added.add(i.asJsonObject()));
      p.conversation.append(added);
    }
    if (stream) {
      List<JsonObject> events = streamEvents(p);
      StringBuilder sse = new StringBuilder();
      for (JsonObject event : events) {
        sse.append("event: ")
            .append(JsonSupport.string(event, "type"))
            .append("\ndata: ")
            .append(event)
            .append("\n\n");
      }
      return MockReply.sse(sse.toString(), events.size());
    }
    return MockReply.json(200, stored.render());
  }

  /** A response for a batch line: computed like {@code create} but never stored or streamed. */
  JsonObject createForBatch(JsonObject body) {
    return new Stored(prepare(body), false).render();
  }

  /** {@code GET /v1/responses/{id}}: background responses advance queued → in_progress → done. */
  JsonObject retrieve(String id) {
    return find(id).retrieve();
  }

  JsonObject delete(String id) {
    if (store.remove(id) == null) {
      throw notFound(id);
    }
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("id", id)
        .add("object", "response.deleted")
        .add("deleted", true)
        .build();
  }

  JsonObject cancel(String id) {
    return find(id).cancel();
  }

  /**
   * {@code GET /v1/responses/{id}/input_items} with {@code limit}, {@code order}, {@code after}.
   */
  JsonObject inputItems(String id, Integer limit, String order, String after) {
    Stored stored = find(id);
    List<JsonValue> items = new ArrayList<>(stored.prepared.inputItems);
    if (order == null || "desc".equals(order)) {
      java.util.Collections.reverse(items);
    } else if (!"asc".equals(order)) {
      throw ApiException.invalid(
          "order",
          "Invalid value: '" + order + "'. Supported values are: 'asc' and 'desc'.",
          "invalid_value");
    }
    int pageSize = limit == null ? 20 : limit;
    if (pageSize < 1 || pageSize > 100) {
      throw ApiException.invalid(
          "limit", "Invalid 'limit': must be between 1 and 100.", "invalid_value");
    }
    int start = 0;
    if (after != null) {
      start = -1;
      for (int i = 0; i < items.size(); i++) {
        if (after.equals(JsonSupport.string(items.get(i).asJsonObject(), "id"))) {
          start = i + 1;
          break;
        }
      }
      if (start < 0) {
        throw ApiException.invalid("after", "No input item found with id '" + after + "'.");
      }
    }
    int end = Math.min(items.size(), start + pageSize);
    JsonArrayBuilder data = JsonSupport.JSON.createArrayBuilder();
    for (int i = start; i < end; i++) {
      data.add(items.get(i));
    }
    JsonObjectBuilder list =
        JsonSupport.JSON.createObjectBuilder().add("object", "list").add("data", data);
    if (end > start) {
      list.add("first_id", JsonSupport.string(items.get(start).asJsonObject(), "id"))
          .add("last_id", JsonSupport.string(items.get(end - 1).asJsonObject(), "id"));
    } else {
      list.addNull("first_id").addNull("last_id");
    }
    return list.add("has_more", end < items.size()).build();
  }

  private Stored find(String id) {
    Stored stored = store.get(id);
    if (stored == null) {
      throw notFound(id);
    }
    return stored;
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound(null, "Response with id '" + id + "' not found.");
  }

  // ---- the stored response ----------------------------------------------------------------

  /** Everything computed for one request: the echo fields, input items, output and usage. */
  private static final class Prepared {
    String id;
    long createdAt;
    Map<String, JsonValue> echo;
    List<JsonValue> inputItems;
    JsonArray output;
    JsonObject usage;
    String finalStatus;
    JsonValue incompleteDetails;
    int turn;
    long conversationChars;
    int conversationItems;
    String lastUserText;
    ConversationsApi.Stored conversation;
  }

  /** A stored response and its lifecycle (background: queued → in_progress → completed). */
  private static final class Stored {
    final Prepared prepared;
    final boolean background;
    String status;
    int retrieves;
    Long completedAt;

    Stored(Prepared prepared, boolean background) {
      this.prepared = prepared;
      this.background = background;
      if (background) {
        status = "queued";
      } else {
        status = prepared.finalStatus;
        completedAt = JsonSupport.now();
      }
    }

    synchronized JsonObject retrieve() {
      if (background && ("queued".equals(status) || "in_progress".equals(status))) {
        retrieves++;
        if (retrieves == 1) {
          status = "in_progress";
        } else {
          status = prepared.finalStatus;
          completedAt = JsonSupport.now();
        }
      }
      return render();
    }

    synchronized JsonObject cancel() {
      if (!background) {
        throw ApiException.invalid(
            null, "Only responses created with background=true can be cancelled.");
      }
      if ("queued".equals(status) || "in_progress".equals(status)) {
        status = "cancelled";
      }
      return render();
    }

    synchronized JsonObject render() {
      boolean done = "completed".equals(status) || "incomplete".equals(status);
      return ResponsesApi.render(
          prepared,
          status,
          done ? prepared.output : JsonValue.EMPTY_JSON_ARRAY,
          done ? prepared.usage : JsonValue.NULL,
          done ? completedAt : null,
          done ? prepared.incompleteDetails : JsonValue.NULL);
    }
  }

  private static JsonObject render(
      Prepared p,
      String status,
      JsonArray output,
      JsonValue usage,
      Long completedAt,
      JsonValue incompleteDetails) {
    JsonObjectBuilder b =
        JsonSupport.JSON
            .createObjectBuilder()
            .add("id", p.id)
            .add("object", "response")
            .add("created_at", p.createdAt)
            .add("status", status);
    for (Map.Entry<String, JsonValue> e : p.echo.entrySet()) {
      switch (e.getKey()) {
        case "completed_at":
          b.add("completed_at", JsonSupport.longOrNull(completedAt));
          break;
        case "incomplete_details":
          b.add("incomplete_details", incompleteDetails);
          break;
        case "output":
          b.add("output", output);
          break;
        case "usage":
          b.add("usage", usage);
          break;
        default:
          b.add(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  // ---- preparing a response ---------------------------------------------------------------

  private Prepared prepare(JsonObject body) {
    Prepared p = new Prepared();
    String model = JsonSupport.requireModel(body);
    String previousId = JsonSupport.string(body, "previous_response_id");
    Stored previous = null;
    if (previousId != null) {
      previous = store.get(previousId);
      if (previous == null) {
        throw ApiException.notFound(
            "previous_response_id", "Previous response with id '" + previousId + "' not found.");
      }
    }
    String conversationId = conversationId(body.get("conversation"));
    if (conversationId != null && previousId != null) {
      throw ApiException.invalid(
          null,
          "Mutually exclusive parameters: Ensure you are only providing one of:"
              + " 'previous_response_id' or 'conversation'.",
          "mutually_exclusive_parameters");
    }
    if (conversationId != null) {
      p.conversation = conversations.forResponse(conversationId);
    }
    JsonValue input = body.get("input");
    if ((input == null || input.getValueType() == JsonValue.ValueType.NULL) && previous == null) {
      throw ApiException.invalid(
          "input", "Missing required parameter: 'input'.", "missing_required_parameter");
    }
    p.id = JsonSupport.hexId("resp_", 48);
    p.createdAt = JsonSupport.now();
    p.inputItems = normalizeInput(input);
    p.turn = previous == null ? 1 : previous.prepared.turn + 1;

    // What the "model" reads: the chain (or the conversation) so far, the instructions and the
    // new input.
    long inputChars = 0;
    String lastUserText = previous == null ? "" : previous.prepared.lastUserText;
    long previousChars = previous == null ? 0 : previous.prepared.conversationChars;
    int previousItems = previous == null ? 0 : previous.prepared.conversationItems;
    if (p.conversation != null) {
      for (JsonObject item : p.conversation.items()) {
        previousChars += itemText(item).length();
        previousItems++;
        if ("message".equals(JsonSupport.string(item, "type"))) {
          if ("user".equals(JsonSupport.string(item, "role"))) {
            lastUserText = ChatCompletions.contentText(item.get("content"));
          } else if ("assistant".equals(JsonSupport.string(item, "role"))) {
            p.turn++;
          }
        }
      }
    }
    for (JsonValue item : p.inputItems) {
      JsonObject o = item.asJsonObject();
      inputChars += itemText(o).length();
      if ("message".equals(JsonSupport.string(o, "type"))
          && "user".equals(JsonSupport.string(o, "role"))) {
        lastUserText = ChatCompletions.contentText(o.get("content"));
      }
    }
    p.lastUserText = lastUserText;
    String instructions = JsonSupport.string(body, "instructions");
    long promptChars =
        previousChars + inputChars + (instructions == null ? 0 : instructions.length());
    int promptItems = previousItems + p.inputItems.size() + (instructions == null ? 0 : 1);
    int inputTokens = (int) ((promptChars + 3) / 4) + 3 * promptItems;

    // The answer: tool calls, a tool-results answer, or text (possibly structured).
    JsonObject last =
        p.inputItems.isEmpty() ? null : p.inputItems.get(p.inputItems.size() - 1).asJsonObject();
    String lastType = last == null ? null : JsonSupport.string(last, "type");
    boolean lastIsUser =
        "message".equals(lastType) && "user".equals(JsonSupport.string(last, "role"));
    List<ToolPlanner.FunctionTool> calls = List.of();
    if (lastIsUser) {
      calls =
          ToolPlanner.select(
              ToolPlanner.responsesTools(JsonSupport.array(body, "tools")),
              body.get("tool_choice"),
              JsonSupport.bool(body, "parallel_tool_calls", true));
    } else {
      ToolPlanner.responsesTools(JsonSupport.array(body, "tools")); // validates
    }
    JsonArrayBuilder output = JsonSupport.JSON.createArrayBuilder();
    long outputChars = 0;
    int visibleTokens;
    p.finalStatus = "completed";
    p.incompleteDetails = JsonValue.NULL;
    if (!calls.isEmpty()) {
      StringBuilder arguments = new StringBuilder();
      for (ToolPlanner.FunctionTool call : calls) {
        String args = call.arguments();
        arguments.append(args);
        output.add(
            JsonSupport.JSON
                .createObjectBuilder()
                .add("id", JsonSupport.hexId("fc_", 48))
                .add("type", "function_call")
                .add("status", "completed")
                .add("arguments", args)
                .add("call_id", JsonSupport.alnumId("call_", 24))
                .add("name", call.name()));
      }
      outputChars = arguments.length();
      visibleTokens = JsonSupport.tokens(arguments.toString());
    } else {
      String text;
      if ("function_call_output".equals(lastType)) {
        int start = p.inputItems.size();
        while (start > 0
            && "function_call_output"
                .equals(JsonSupport.string(p.inputItems.get(start - 1).asJsonObject(), "type"))) {
          start--;
        }
        StringBuilder results = new StringBuilder();
        for (int i = start; i < p.inputItems.size(); i++) {
          results.append(itemText(p.inputItems.get(i).asJsonObject()));
        }
        text = "Mock answer using tool results: " + JsonSupport.first(results.toString(), 80);
      } else {
        text = "Mock answer to: " + JsonSupport.first(lastUserText, 80);
        if (p.turn > 1) {
          text += " (turn " + p.turn + ")";
        }
      }
      text = formatted(text, JsonSupport.object(JsonSupport.object(body, "text"), "format"));
      Integer maxOutput = JsonSupport.integer(body, "max_output_tokens");
      String itemStatus = "completed";
      if (maxOutput != null && JsonSupport.tokens(text) > maxOutput) {
        text = JsonSupport.first(text, Math.max(0, maxOutput) * 4);
        p.finalStatus = "incomplete";
        itemStatus = "incomplete";
        p.incompleteDetails =
            JsonSupport.JSON.createObjectBuilder().add("reason", "max_output_tokens").build();
      }
      output.add(messageItem(JsonSupport.hexId("msg_", 48), itemStatus, text));
      outputChars = text.length();
      visibleTokens = JsonSupport.tokens(text);
    }
    p.output = output.build();
    int reasoningTokens =
        JsonSupport.isReasoningModel(model) ? ChatCompletions.REASONING_TOKENS : 0;
    int outputTokens = visibleTokens + reasoningTokens;
    p.usage =
        JsonSupport.JSON
            .createObjectBuilder()
            .add("input_tokens", inputTokens)
            .add(
                "input_tokens_details",
                JsonSupport.JSON.createObjectBuilder().add("cached_tokens", 0))
            .add("output_tokens", outputTokens)
            .add(
                "output_tokens_details",
                JsonSupport.JSON.createObjectBuilder().add("reasoning_tokens", reasoningTokens))
            .add("total_tokens", inputTokens + outputTokens)
            .build();
    p.conversationChars = previousChars + inputChars + outputChars;
    p.conversationItems = previousItems + p.inputItems.size() + p.output.size();
    p.echo = echo(body, model, previousId);
    if (conversationId != null) {
      p.echo.put(
          "conversation", JsonSupport.JSON.createObjectBuilder().add("id", conversationId).build());
    }
    return p;
  }

  /** The id a {@code conversation} parameter names: a string, or an object with {@code id}. */
  private static String conversationId(JsonValue conversation) {
    if (conversation == null || conversation.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (conversation instanceof JsonString s) {
      return s.getString();
    }
    if (conversation.getValueType() == JsonValue.ValueType.OBJECT
        && conversation.asJsonObject().get("id") instanceof JsonString s) {
      return s.getString();
    }
    throw ApiException.invalid(
        "conversation",
        "Invalid type for 'conversation': expected a string or an object with 'id'.",
        "invalid_type");
  }

  /** The request fields a response echoes, in OpenAI's order, with OpenAI's defaults. */
  private static Map<String, JsonValue> echo(JsonObject body, String model, String previousId) {
    Map<String, JsonValue> e = new LinkedHashMap<>();
    e.put(
        "background",
        JsonSupport.bool(body, "background", false) ? JsonValue.TRUE : JsonValue.FALSE);
    e.put("completed_at", JsonValue.NULL);
    e.put("error", JsonValue.NULL);
    e.put("incomplete_details", JsonValue.NULL);
    e.put("instructions", JsonSupport.valueOr(body, "instructions", JsonValue.NULL));
    e.put("max_output_tokens", JsonSupport.valueOr(body, "max_output_tokens", JsonValue.NULL));
    e.put("model", JsonSupport.JSON.createValue(model));
    e.put("output", JsonValue.EMPTY_JSON_ARRAY);
    e.put(
        "parallel_tool_calls",
        JsonSupport.bool(body, "parallel_tool_calls", true) ? JsonValue.TRUE : JsonValue.FALSE);
    e.put("previous_response_id", JsonSupport.stringOrNull(previousId));
    e.put(
        "reasoning",
        JsonSupport.valueOr(
            body,
            "reasoning",
            JsonSupport.JSON.createObjectBuilder().addNull("effort").addNull("summary").build()));
    String tier = JsonSupport.string(body, "service_tier");
    e.put(
        "service_tier",
        JsonSupport.JSON.createValue(tier == null || "auto".equals(tier) ? "default" : tier));
    e.put("store", JsonSupport.bool(body, "store", true) ? JsonValue.TRUE : JsonValue.FALSE);
    e.put("temperature", number(body, "temperature"));
    e.put(
        "text",
        JsonSupport.valueOr(
            body,
            "text",
            JsonSupport.JSON
                .createObjectBuilder()
                .add("format", JsonSupport.JSON.createObjectBuilder().add("type", "text"))
                .build()));
    e.put(
        "tool_choice",
        JsonSupport.valueOr(body, "tool_choice", JsonSupport.JSON.createValue("auto")));
    e.put("tools", JsonSupport.valueOr(body, "tools", JsonValue.EMPTY_JSON_ARRAY));
    e.put("top_p", number(body, "top_p"));
    e.put(
        "truncation",
        JsonSupport.valueOr(body, "truncation", JsonSupport.JSON.createValue("disabled")));
    e.put("usage", JsonValue.NULL);
    e.put("user", JsonSupport.valueOr(body, "user", JsonValue.NULL));
    e.put("metadata", JsonSupport.valueOr(body, "metadata", JsonValue.EMPTY_JSON_OBJECT));
    return e;
  }

  private static JsonValue number(JsonObject body, String key) {
    JsonValue v = body.get(key);
    if (v instanceof JsonNumber) {
      return v;
    }
    if (v != null && v.getValueType() != JsonValue.ValueType.NULL) {
      throw ApiException.invalid(
          key, "Invalid type for '" + key + "': expected a number.", "invalid_type");
    }
    return JsonSupport.JSON.createValue(1.0);
  }

  private static String formatted(String text, JsonObject format) {
    String type = JsonSupport.string(format, "type");
    if (type == null || "text".equals(type)) {
      return text;
    }
    if ("json_object".equals(type)) {
      return JsonSupport.JSON.createObjectBuilder().add("answer", text).build().toString();
    }
    if ("json_schema".equals(type)) {
      if (!format.containsKey("schema")) {
        throw ApiException.invalid(
            "text.format.schema",
            "Missing required parameter: 'text.format.schema'.",
            "missing_required_parameter");
      }
      return SchemaSampler.sample(format.get("schema")).toString();
    }
    throw ApiException.invalid(
        "text.format.type",
        "Invalid value: '"
            + type
            + "'. Supported values are: 'text', 'json_object', and"
            + " 'json_schema'.",
        "invalid_value");
  }

  static JsonObject messageItem(String id, String status, String text) {
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("id", id)
        .add("type", "message")
        .add("status", status)
        .add("content", JsonSupport.JSON.createArrayBuilder().add(outputText(text)))
        .add("role", "assistant")
        .build();
  }

  private static JsonObject outputText(String text) {
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("type", "output_text")
        .add("annotations", JsonValue.EMPTY_JSON_ARRAY)
        .add("logprobs", JsonValue.EMPTY_JSON_ARRAY)
        .add("text", text)
        .build();
  }

  /** The text an input item contributes: message content, tool output or call arguments. */
  private static String itemText(JsonObject item) {
    String type = JsonSupport.string(item, "type");
    if ("message".equals(type)) {
      return ChatCompletions.contentText(item.get("content"));
    }
    if ("function_call_output".equals(type)) {
      return ChatCompletions.contentText(item.get("output"));
    }
    if ("function_call".equals(type)) {
      String args = JsonSupport.string(item, "arguments");
      return args == null ? "" : args;
    }
    return "";
  }

  /** Input as a list of items with ids: a string becomes one user message. */
  static List<JsonValue> normalizeInput(JsonValue input) {
    List<JsonValue> items = new ArrayList<>();
    if (input == null || input.getValueType() == JsonValue.ValueType.NULL) {
      return items;
    }
    if (input instanceof JsonString) {
      items.add(
          JsonSupport.JSON
              .createObjectBuilder()
              .add("id", JsonSupport.hexId("msg_", 48))
              .add("type", "message")
              .add("role", "user")
              .add(
                  "content",
                  JsonSupport.JSON
                      .createArrayBuilder()
                      .add(
                          JsonSupport.JSON
                              .createObjectBuilder()
                              .add("type", "input_text")
                              .add("text", ((JsonString) input).getString())))
              .build());
      return items;
    }
    if (input.getValueType() != JsonValue.ValueType.ARRAY) {
      throw ApiException.invalid(
          "input", "Invalid type for 'input': expected a string or an array.", "invalid_type");
    }
    JsonArray array = input.asJsonArray();
    for (int i = 0; i < array.size(); i++) {
      JsonValue v = array.get(i);
      String param = "input[" + i + "]";
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        throw ApiException.invalid(param, "Invalid '" + param + "': expected an object.");
      }
      JsonObject item = v.asJsonObject();
      String type = JsonSupport.string(item, "type");
      String role = JsonSupport.string(item, "role");
      if (type == null && role != null) {
        type = "message";
      }
      if (type == null) {
        throw ApiException.invalid(
            param + ".type",
            "Missing required parameter: '" + param + ".type'.",
            "missing_required_parameter");
      }
      JsonObjectBuilder out = JsonSupport.JSON.createObjectBuilder();
      switch (type) {
        case "message":
          {
            if (role == null || !MESSAGE_ROLES.contains(role)) {
              throw ApiException.invalid(
                  param + ".role",
                  "Invalid value for '"
                      + param
                      + ".role': expected one of 'user', 'assistant',"
                      + " 'system', 'developer'.",
                  "invalid_value");
            }
            JsonValue content = item.get("content");
            JsonValue normalized;
            if (content instanceof JsonString) {
              normalized =
                  JsonSupport.JSON
                      .createArrayBuilder()
                      .add(
                          JsonSupport.JSON
                              .createObjectBuilder()
                              .add("type", "assistant".equals(role) ? "output_text" : "input_text")
                              .add("text", ((JsonString) content).getString()))
                      .build();
            } else if (content != null && content.getValueType() == JsonValue.ValueType.ARRAY) {
              normalized = content;
            } else {
              throw ApiException.invalid(
                  param + ".content",
                  "Missing required parameter: '" + param + ".content'.",
                  "missing_required_parameter");
            }
            out.add("id", idOr(item, "msg_"))
                .add("type", "message")
                .add("role", role)
                .add("content", normalized);
            break;
          }
        case "function_call_output":
          if (JsonSupport.string(item, "call_id") == null || !item.containsKey("output")) {
            throw ApiException.invalid(
                param,
                "Missing required parameter: '" + param + ".call_id' or '" + param + ".output'.",
                "missing_required_parameter");
          }
          out.add("id", idOr(item, "fco_"));
          item.forEach(
              (k, val) -> {
                if (!"id".equals(k)) {
                  out.add(k, val);
                }
              });
          break;
        default:
          out.add("id", idOr(item, "function_call".equals(type) ? "fc_" : "item_"));
          item.forEach(
              (k, val) -> {
                if (!"id".equals(k)) {
                  out.add(k, val);
                }
              });
      }
      items.add(out.build());
    }
    return items;
  }

  private static String idOr(JsonObject item, String prefix) {
    String id = JsonSupport.string(item, "id");
    return id != null ? id : JsonSupport.hexId(prefix, 48);
  }

  // ---- streaming --------------------------------------------------------------------------

  private static List<JsonObject> streamEvents(Prepared p) {
    List<JsonObject> events = new ArrayList<>();
    int[] seq = {0};
    JsonObject inProgress =
        render(p, "in_progress", JsonValue.EMPTY_JSON_ARRAY, JsonValue.NULL, null, JsonValue.NULL);
    events.add(event(seq, "response.created").add("response", inProgress).build());
    events.add(event(seq, "response.in_progress").add("response", inProgress).build());
    for (int index = 0; index < p.output.size(); index++) {
      JsonObject item = p.output.getJsonObject(index);
      String itemId = JsonSupport.string(item, "id");
      if ("message".equals(JsonSupport.string(item, "type"))) {
        String text = item.getJsonArray("content").getJsonObject(0).getString("text");
        events.add(
            event(seq, "response.output_item.added")
                .add("output_index", index)
                .add(
                    "item",
                    JsonSupport.JSON
                        .createObjectBuilder()
                        .add("id", itemId)
                        .add("type", "message")
                        .add("status", "in_progress")
                        .add("content", JsonValue.EMPTY_JSON_ARRAY)
                        .add("role", "assistant"))
                .build());
        events.add(
            event(seq, "response.content_part.added")
                .add("item_id", itemId)
                .add("output_index", index)
                .add("content_index", 0)
                .add("part", outputText(""))
                .build());
        for (String piece : JsonSupport.pieces(text, PIECE)) {
          events.add(
              event(seq, "response.output_text.delta")
                  .add("item_id", itemId)
                  .add("output_index", index)
                  .add("content_index", 0)
                  .add("delta", piece)
                  .add("logprobs", JsonValue.EMPTY_JSON_ARRAY)
                  .build());
        }
        events.add(
            event(seq, "response.output_text.done")
                .add("item_id", itemId)
                .add("output_index", index)
                .add("content_index", 0)
                .add("text", text)
                .add("logprobs", JsonValue.EMPTY_JSON_ARRAY)
                .build());
        events.add(
            event(seq, "response.content_part.done")
                .add("item_id", itemId)
                .add("output_index", index)
                .add("content_index", 0)
                .add("part", outputText(text))
                .build());
      } else {
        String arguments = item.getString("arguments");
        events.add(
            event(seq, "response.output_item.added")
                .add("output_index", index)
                .add(
                    "item",
                    JsonSupport.JSON
                        .createObjectBuilder()
                        .add("id", itemId)
                        .add("type", "function_call")
                        .add("status", "in_progress")
                        .add("arguments", "")
                        .add("call_id", item.getString("call_id"))
                        .add("name", item.getString("name")))
                .build());
        for (String piece : JsonSupport.pieces(arguments, PIECE)) {
          events.add(
              event(seq, "response.function_call_arguments.delta")
                  .add("item_id", itemId)
                  .add("output_index", index)
                  .add("delta", piece)
                  .build());
        }
        events.add(
            event(seq, "response.function_call_arguments.done")
                .add("item_id", itemId)
                .add("output_index", index)
                .add("name", item.getString("name"))
                .add("arguments", arguments)
                .build());
      }
      events.add(
          event(seq, "response.output_item.done")
              .add("output_index", index)
              .add("item", item)
              .build());
    }
    JsonObject done =
        render(p, p.finalStatus, p.output, p.usage, JsonSupport.now(), p.incompleteDetails);
    String finalType =
        "incomplete".equals(p.finalStatus) ? "response.incomplete" : "response.completed";
    events.add(event(seq, finalType).add("response", done).build());
    return events;
  }

  private static JsonObjectBuilder event(int[] seq, String type) {
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("type", type)
        .add("sequence_number", seq[0]++);
  }
}
