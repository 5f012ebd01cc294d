package dev.warden.ai;

import dev.warden.config.Jsonp;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.FunctionCall;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ToolCall;
import dev.warden.openai.stream.SseEvent;
import dev.warden.openai.stream.StreamAccumulator;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.StreamResult;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Rehydrator;
import dev.warden.pii.StreamingRehydrator;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Restores the placeholders of one call's {@link PlaceholderVault} in a relayed stream, so that
 * both {@code /v1} callers and injected subscribers see the original values while the upstream only
 * ever saw placeholders. It wraps the stream's accumulator and rewrites every event it hands over:
 * the forwarded wire event, the {@link StreamDelta#text()}, the completed tool calls and the final
 * {@link StreamResult}.
 *
 * <p>Chat Completions chunks: {@code choices[i].delta.content} goes through a streaming rehydrator
 * per choice, {@code delta.tool_calls[j].function.arguments} through a JSON one per tool call; a
 * placeholder split across chunks is held back until complete, and whatever is still held back is
 * flushed into the chunk that carries the choice's {@code finish_reason}. Responses events: {@code
 * response.output_text.delta} per output item and content part, {@code
 * response.function_call_arguments.delta} per item, and the full texts and objects of the {@code
 * .done}, {@code response.output_item.*}, {@code response.content_part.*} and {@code response.*}
 * events. Events with nothing to restore are forwarded byte for byte; rewritten ones are rebuilt
 * with JSON-P. One per stream; not thread-safe.
 *
 * <p>Limitation: text still held back when a Responses text part ends (it ended with an incomplete
 * placeholder-like prefix such as {@code <EMA}) reaches the wire only in the {@code .done} event's
 * full text, not as a delta; injected subscribers get it as text all the same.
 */
public final class RehydratingAccumulator implements StreamAccumulator {

  private final StreamAccumulator inner;
  private final PlaceholderVault vault;
  private final Rehydrator rehydrator;
  private final boolean responses;
  private final Map<String, StreamingRehydrator> streams = new LinkedHashMap<>();

  private RehydratingAccumulator(
      StreamAccumulator inner, PlaceholderVault vault, boolean responses) {
    this.inner = inner;
    this.vault = vault;
    this.rehydrator = new Rehydrator(vault);
    this.responses = responses;
  }

  /**
   * Wraps a Chat Completions accumulator; returns {@code inner} itself when {@code vault} is empty
   * (nothing to restore: the stream passes unchanged).
   */
  public static StreamAccumulator chat(StreamAccumulator inner, PlaceholderVault vault) {
    return vault.isEmpty() ? inner : new RehydratingAccumulator(inner, vault, false);
  }

  /** Wraps a Responses accumulator; see {@link #chat}. */
  public static StreamAccumulator responses(StreamAccumulator inner, PlaceholderVault vault) {
    return vault.isEmpty() ? inner : new RehydratingAccumulator(inner, vault, true);
  }

  @Override
  public StreamDelta accept(SseEvent event) {
    StreamDelta delta = inner.accept(event);
    List<ToolCall> calls = calls(delta.completedToolCalls());
    SseEvent forward = delta.forward();
    if (forward == null || forward.isDone()) {
      // the usage-only chunk or [DONE]: nothing to rewrite; leftovers go to the subscriber's text
      String rest = forward == null ? "" : flushAll();
      return new StreamDelta(forward, delta.text().isEmpty() ? rest : delta.text(), calls);
    }
    JsonObject data = parse(forward.data());
    if (data == null) {
      return new StreamDelta(forward, delta.text(), calls);
    }
    String[] text = {""};
    JsonObject rewritten = responses ? responseEvent(data, forward, text) : chatChunk(data, text);
    SseEvent out =
        rewritten == data ? forward : new SseEvent(forward.event(), rewritten.toString());
    return new StreamDelta(out, text[0], calls);
  }

  // --- Chat Completions -------------------------------------------------------------------

  private JsonObject chatChunk(JsonObject chunk, String[] text) {
    JsonValue choicesValue = chunk.get("choices");
    if (!(choicesValue instanceof JsonArray) || ((JsonArray) choicesValue).isEmpty()) {
      return chunk;
    }
    JsonArray choices = (JsonArray) choicesValue;
    JsonArrayBuilder rebuilt = Jsonp.createArrayBuilder();
    boolean changed = false;
    for (JsonValue value : choices) {
      if (!(value instanceof JsonObject)) {
        rebuilt.add(value);
        continue;
      }
      JsonObject choice = (JsonObject) value;
      JsonObject restored = chatChoice(choice, text);
      changed |= restored != choice;
      rebuilt.add(restored);
    }
    return changed ? Jsonp.createObjectBuilder(chunk).add("choices", rebuilt).build() : chunk;
  }

  private JsonObject chatChoice(JsonObject choice, String[] text) {
    int index = number(choice.get("index"));
    boolean finishing = choice.get("finish_reason") instanceof JsonString;
    JsonValue deltaValue = choice.get("delta");
    JsonObject delta =
        deltaValue instanceof JsonObject ? (JsonObject) deltaValue : JsonValue.EMPTY_JSON_OBJECT;
    JsonObjectBuilder d = null;
    String contentKey = "c" + index;
    JsonValue contentValue = delta.get("content");
    String content = null;
    if (contentValue instanceof JsonString) {
      String in = ((JsonString) contentValue).getString();
      content = stream(contentKey, false).push(in);
      if (finishing) {
        content += flush(contentKey);
      }
      if (!content.equals(in)) {
        d = Jsonp.createObjectBuilder(delta).add("content", content);
      }
    } else if (finishing) {
      String rest = flush(contentKey);
      if (!rest.isEmpty()) {
        content = rest;
        d = Jsonp.createObjectBuilder(delta).add("content", rest);
      }
    }
    if (index == 0 && content != null) {
      text[0] = content;
    }
    JsonArray toolCalls = rehydrateToolCalls(index, delta.get("tool_calls"), finishing);
    if (toolCalls != null) {
      d = (d == null ? Jsonp.createObjectBuilder(delta) : d).add("tool_calls", toolCalls);
    }
    if (d == null) {
      return choice;
    }
    return Jsonp.createObjectBuilder(choice).add("delta", d).build();
  }

  /** The chunk's tool-call deltas with placeholders restored; {@code null} when unchanged. */
  private JsonArray rehydrateToolCalls(int choice, JsonValue value, boolean finishing) {
    JsonArray calls = value instanceof JsonArray ? (JsonArray) value : JsonValue.EMPTY_JSON_ARRAY;
    String prefix = "t" + choice + ".";
    Map<Integer, String> rests = new TreeMap<>();
    if (finishing) {
      for (Map.Entry<String, StreamingRehydrator> e : new ArrayList<>(streams.entrySet())) {
        if (e.getKey().startsWith(prefix) && e.getValue().pendingLength() > 0) {
          rests.put(Integer.parseInt(e.getKey().substring(prefix.length())), "");
        }
      }
    }
    boolean changed = false;
    JsonArrayBuilder rebuilt = Jsonp.createArrayBuilder();
    for (JsonValue v : calls) {
      if (!(v instanceof JsonObject)) {
        rebuilt.add(v);
        continue;
      }
      JsonObject call = (JsonObject) v;
      int index = number(call.get("index"));
      JsonValue fn = call.get("function");
      JsonValue args = fn instanceof JsonObject ? ((JsonObject) fn).get("arguments") : null;
      String in = args instanceof JsonString ? ((JsonString) args).getString() : null;
      String out = in == null ? null : stream(prefix + index, true).push(in);
      if (finishing && (in != null || rests.containsKey(index))) {
        out = (out == null ? "" : out) + flush(prefix + index);
      }
      rests.remove(index);
      if (out != null && !out.equals(in)) {
        JsonObject f =
            Jsonp.createObjectBuilder(
                    fn instanceof JsonObject ? (JsonObject) fn : JsonValue.EMPTY_JSON_OBJECT)
                .add("arguments", out)
                .build();
        call = Jsonp.createObjectBuilder(call).add("function", f).build();
        changed = true;
      }
      rebuilt.add(call);
    }
    for (Integer index : rests.keySet()) {
      String rest = flush(prefix + index);
      if (!rest.isEmpty()) {
        rebuilt.add(
            Jsonp.createObjectBuilder()
                .add("index", index)
                .add("function", Jsonp.createObjectBuilder().add("arguments", rest)));
        changed = true;
      }
    }
    return changed ? rebuilt.build() : null;
  }

  // --- Responses --------------------------------------------------------------------------

  private JsonObject responseEvent(JsonObject data, SseEvent event, String[] text) {
    JsonValue typeValue = data.get("type");
    String type = typeValue instanceof JsonString ? ((JsonString) typeValue).getString() : null;
    if (type == null) {
      type = event.event() == null ? "" : event.event();
    }
    switch (type) {
      case "response.output_text.delta":
        {
          String key = "o" + itemKey(data) + ":" + number(data.get("content_index"));
          String in = string(data, "delta");
          if (in == null) {
            return data;
          }
          String out = stream(key, false).push(in);
          text[0] = out;
          return out.equals(in) ? data : with(data, "delta", out);
        }
      case "response.output_text.done":
        {
          text[0] = flush("o" + itemKey(data) + ":" + number(data.get("content_index")));
          return member(data, "text", rehydrator::text);
        }
      case "response.function_call_arguments.delta":
        {
          String in = string(data, "delta");
          if (in == null) {
            return data;
          }
          String out = stream("a" + itemKey(data), true).push(in);
          return out.equals(in) ? data : with(data, "delta", out);
        }
      case "response.function_call_arguments.done":
        flush("a" + itemKey(data));
        return member(data, "arguments", rehydrator::json);
      case "response.output_item.added":
      case "response.output_item.done":
        return object(data, "item", this::item);
      case "response.content_part.added":
      case "response.content_part.done":
        return object(data, "part", this::part);
      default:
        return object(data, "response", this::response);
    }
  }

  private JsonObject response(JsonObject r) {
    JsonObject out = member(r, "instructions", rehydrator::text);
    return array(out, "output", this::item);
  }

  private JsonObject item(JsonObject item) {
    JsonObject out = member(item, "content", rehydrator::text);
    out = array(out, "content", this::part);
    out = member(out, "arguments", rehydrator::json);
    return member(out, "input", rehydrator::text);
  }

  private JsonObject part(JsonObject part) {
    return member(member(part, "text", rehydrator::text), "refusal", rehydrator::text);
  }

  private static String itemKey(JsonObject data) {
    String id = string(data, "item_id");
    return id != null ? id : "#" + number(data.get("output_index"));
  }

  // --- shared -----------------------------------------------------------------------------

  private StreamingRehydrator stream(String key, boolean json) {
    return streams.computeIfAbsent(
        key, k -> json ? StreamingRehydrator.jsonString(vault) : StreamingRehydrator.text(vault));
  }

  private String flush(String key) {
    StreamingRehydrator s = streams.remove(key);
    return s == null ? "" : s.flush();
  }

  /** Everything still held back, for the subscriber's text (choice 0 / output text only). */
  private String flushAll() {
    StringBuilder rest = new StringBuilder();
    for (Map.Entry<String, StreamingRehydrator> e : streams.entrySet()) {
      String flushed = e.getValue().flush();
      if (e.getKey().startsWith("o") || e.getKey().equals("c0")) {
        rest.append(flushed);
      }
    }
    streams.clear();
    return rest.toString();
  }

  /** {@code object} with its string member {@code name} mapped; the same object when unchanged. */
  private static JsonObject member(JsonObject object, String name, UnaryOperator<String> map) {
    JsonValue v = object.get(name);
    if (!(v instanceof JsonString)) {
      return object;
    }
    String in = ((JsonString) v).getString();
    String out = map.apply(in);
    return out.equals(in) ? object : with(object, name, out);
  }

  /** {@code object} with its object member {@code name} mapped; the same object when unchanged. */
  private static JsonObject object(JsonObject object, String name, UnaryOperator<JsonObject> map) {
    JsonValue v = object.get(name);
    if (!(v instanceof JsonObject)) {
      return object;
    }
    JsonObject out = map.apply((JsonObject) v);
    return out == v ? object : Jsonp.createObjectBuilder(object).add(name, out).build();
  }

  /** {@code object} with each object of its array member {@code name} mapped. */
  private static JsonObject array(JsonObject object, String name, UnaryOperator<JsonObject> map) {
    JsonValue v = object.get(name);
    if (!(v instanceof JsonArray)) {
      return object;
    }
    boolean changed = false;
    JsonArrayBuilder rebuilt = Jsonp.createArrayBuilder();
    for (JsonValue e : (JsonArray) v) {
      if (e instanceof JsonObject) {
        JsonObject out = map.apply((JsonObject) e);
        changed |= out != e;
        rebuilt.add(out);
      } else {
        rebuilt.add(e);
      }
    }
    return changed ? Jsonp.createObjectBuilder(object).add(name, rebuilt).build() : object;
  }

  private static JsonObject with(JsonObject object, String name, String value) {
    return Jsonp.createObjectBuilder(object).add(name, value).build();
  }

  private static String string(JsonObject object, String name) {
    JsonValue v = object.get(name);
    return v instanceof JsonString ? ((JsonString) v).getString() : null;
  }

  private static int number(JsonValue v) {
    return v instanceof jakarta.json.JsonNumber ? ((jakarta.json.JsonNumber) v).intValue() : 0;
  }

  private static JsonObject parse(String data) {
    try (JsonReader reader = Jsonp.createReader(new StringReader(data))) {
      JsonValue v = reader.readValue();
      return v instanceof JsonObject ? (JsonObject) v : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private List<ToolCall> calls(List<ToolCall> calls) {
    if (calls.isEmpty()) {
      return calls;
    }
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (ToolCall c : calls) {
      FunctionCall f = c.function();
      out.add(
          f == null
              ? c
              : new ToolCall(
                  c.id(),
                  c.type(),
                  new FunctionCall(f.name(), rehydrator.json(f.arguments())),
                  c.custom()));
    }
    return out;
  }

  @Override
  public boolean finished() {
    return inner.finished();
  }

  /** The result as the upstream streamed it, placeholders included (what the audit keeps). */
  public StreamResult upstreamResult() {
    return inner.result();
  }

  @Override
  public StreamResult result() {
    StreamResult r = inner.result();
    Object body = r.body();
    if (body instanceof ChatCompletion) {
      body = rehydrator.rehydrate((ChatCompletion) body);
    } else if (body instanceof ModelResponse) {
      body = rehydrator.rehydrate((ModelResponse) body);
    }
    return new StreamResult(
        rehydrator.text(r.text()),
        calls(r.toolCalls()),
        r.finishReason(),
        r.usage(),
        r.model(),
        r.id(),
        body);
  }
}
