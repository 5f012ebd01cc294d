package dev.warden.openai.stream;

import dev.warden.config.Jsonp;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.FunctionCall;
import dev.warden.openai.model.MessageContent;
import dev.warden.openai.model.ToolCall;
import dev.warden.openai.model.Usage;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Follows a Chat Completions stream ({@code chat.completion.chunk} objects, then {@code [DONE]})
 * for the first choice. Tool-call arguments arrive in pieces; a call is handed over only once
 * complete: when a later call starts or the choice finishes.
 *
 * <p>Warden always asks the upstream for usage. When the caller did not ask ({@code
 * callerWantsUsage} false), the final usage-only chunk is not forwarded and the {@code usage} key
 * is removed from the other chunks, so the caller sees exactly what it asked for.
 */
public final class ChatStreamAccumulator implements StreamAccumulator {

  private static final Jsonb JSONB = SharedJsonb.JSONB;

  private final boolean callerWantsUsage;
  private final String requestId;
  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, PartialCall> calls = new TreeMap<>();
  private final List<ToolCall> completed = new ArrayList<>();
  private final List<ToolCall> allToolCalls = new ArrayList<>();
  private int nextToHandOver;
  private String finishReason;
  private Usage usage;
  private String model;
  private String id;
  private Long created;
  private boolean done;

  public ChatStreamAccumulator(boolean callerWantsUsage, String requestId) {
    this.callerWantsUsage = callerWantsUsage;
    this.requestId = requestId;
  }

  @Override
  public StreamDelta accept(SseEvent event) {
    if (event.isDone()) {
      done = true;
      handOver(Integer.MAX_VALUE);
      return new StreamDelta(event, "", drain());
    }
    JsonObject chunk = StreamErrors.parse(event, requestId);
    JsonValue error = chunk.get("error");
    if (error != null && error.getValueType() == JsonValue.ValueType.OBJECT) {
      throw StreamErrors.inBand(error.asJsonObject(), requestId);
    }
    if (id == null) {
      id = StreamErrors.string(chunk, "id");
      model = StreamErrors.string(chunk, "model");
      created = chunk.containsKey("created") ? chunk.getJsonNumber("created").longValue() : null;
    }
    JsonValue usageValue = chunk.get("usage");
    boolean hasUsage =
        usageValue != null && usageValue.getValueType() == JsonValue.ValueType.OBJECT;
    if (hasUsage) {
      usage = JSONB.fromJson(usageValue.toString(), Usage.class);
    }
    String delta = "";
    JsonArray choices = chunk.getJsonArray("choices");
    if (choices != null) {
      for (JsonValue value : choices) {
        JsonObject choice = value.asJsonObject();
        if (choice.getInt("index", 0) != 0) {
          continue;
        }
        JsonObject d = choice.getJsonObject("delta");
        if (d != null) {
          String content = StreamErrors.string(d, "content");
          if (content != null) {
            text.append(content);
            delta = content;
          }
          JsonArray toolCalls = d.getJsonArray("tool_calls");
          if (toolCalls != null) {
            for (JsonValue tc : toolCalls) {
              toolCallDelta(tc.asJsonObject());
            }
          }
        }
        String reason = StreamErrors.string(choice, "finish_reason");
        if (reason != null) {
          finishReason = reason;
          handOver(Integer.MAX_VALUE);
        }
      }
    }
    SseEvent forward = event;
    if (!callerWantsUsage && chunk.containsKey("usage")) {
      boolean usageOnly = choices == null || choices.isEmpty();
      forward = usageOnly ? null : withoutUsage(event, chunk);
    }
    return new StreamDelta(forward, delta, drain());
  }

  private void toolCallDelta(JsonObject tc) {
    int index = tc.getInt("index", 0);
    handOver(index);
    PartialCall call = calls.computeIfAbsent(index, i -> new PartialCall());
    if (call.id == null) {
      call.id = StreamErrors.string(tc, "id");
    }
    if (call.type == null) {
      call.type = StreamErrors.string(tc, "type");
    }
    JsonObject function = tc.getJsonObject("function");
    if (function != null) {
      String name = StreamErrors.string(function, "name");
      if (name != null && call.name == null) {
        call.name = name;
      }
      String arguments = StreamErrors.string(function, "arguments");
      if (arguments != null) {
        call.arguments.append(arguments);
      }
    }
  }

  /** Calls with an index below {@code upTo} can no longer change: hand them over, in order. */
  private void handOver(int upTo) {
    for (Map.Entry<Integer, PartialCall> e : calls.entrySet()) {
      int index = e.getKey();
      if (index < nextToHandOver || index >= upTo) {
        continue;
      }
      PartialCall c = e.getValue();
      completed.add(
          new ToolCall(
              c.id,
              c.type == null ? "function" : c.type,
              new FunctionCall(c.name, c.arguments.toString()),
              null));
      nextToHandOver = index + 1;
    }
  }

  private List<ToolCall> drain() {
    if (completed.isEmpty()) {
      return List.of();
    }
    List<ToolCall> out = List.copyOf(completed);
    allToolCalls.addAll(out);
    completed.clear();
    return out;
  }

  private static SseEvent withoutUsage(SseEvent event, JsonObject chunk) {
    JsonObjectBuilder copy = Jsonp.createObjectBuilder(chunk);
    copy.remove("usage");
    return new SseEvent(event.event(), copy.build().toString());
  }

  @Override
  public boolean finished() {
    return done;
  }

  @Override
  public StreamResult result() {
    ChatMessage message =
        new ChatMessage(
            "assistant",
            text.length() == 0 && !allToolCalls.isEmpty()
                ? null
                : MessageContent.of(text.toString()),
            null,
            allToolCalls.isEmpty() ? null : allToolCalls,
            null,
            null,
            null,
            null);
    ChatCompletion body =
        new ChatCompletion(
            id,
            "chat.completion",
            created,
            model,
            List.of(new ChatChoice(0, message, finishReason, null)),
            usage,
            null,
            null);
    return new StreamResult(
        text.toString(), allToolCalls, finishReason, TokenUsage.of(usage), model, id, body);
  }

  private static final class PartialCall {
    String id;
    String type;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }
}
