package dev.warden.openai.stream;

import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.FunctionCall;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ToolCall;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a Responses API stream of typed events ({@code response.created}, {@code
 * response.output_text.delta}, {@code response.function_call_arguments.delta}, {@code
 * response.output_item.done}, {@code response.completed}, {@code response.failed}, {@code error},
 * ...). Function calls are handed over when their {@code response.output_item.done} arrives, i.e.
 * complete. The stream ends with {@code response.completed}, {@code response.incomplete} or {@code
 * response.failed}; every event is forwarded unchanged.
 */
public final class ResponsesStreamAccumulator implements StreamAccumulator {

  private static final Jsonb JSONB = SharedJsonb.JSONB;

  private final String requestId;
  private final StringBuilder text = new StringBuilder();
  private final List<ToolCall> toolCalls = new ArrayList<>();
  private ModelResponse response;
  private String id;
  private String model;
  private String status;
  private boolean done;

  public ResponsesStreamAccumulator(String requestId) {
    this.requestId = requestId;
  }

  @Override
  public StreamDelta accept(SseEvent event) {
    JsonObject data = StreamErrors.parse(event, requestId);
    String type = StreamErrors.string(data, "type");
    if (type == null) {
      type = event.event();
    }
    String delta = "";
    List<ToolCall> complete = List.of();
    if (type == null) {
      return new StreamDelta(event, delta, complete);
    }
    switch (type) {
      case "error":
        throw StreamErrors.inBand(data, requestId);
      case "response.failed":
        {
          JsonObject r = data.getJsonObject("response");
          JsonValue error = r == null ? null : r.get("error");
          throw StreamErrors.inBand(
              error != null && error.getValueType() == JsonValue.ValueType.OBJECT
                  ? error.asJsonObject()
                  : JsonValue.EMPTY_JSON_OBJECT,
              requestId);
        }
      case "response.created":
      case "response.in_progress":
      case "response.queued":
        remember(data.getJsonObject("response"));
        break;
      case "response.output_text.delta":
        delta = StreamErrors.string(data, "delta");
        delta = delta == null ? "" : delta;
        text.append(delta);
        break;
      case "response.output_item.done":
        {
          JsonObject item = data.getJsonObject("item");
          if (item != null && "function_call".equals(StreamErrors.string(item, "type"))) {
            ToolCall call =
                new ToolCall(
                    StreamErrors.string(item, "call_id"),
                    "function",
                    new FunctionCall(
                        StreamErrors.string(item, "name"), StreamErrors.string(item, "arguments")),
                    null);
            toolCalls.add(call);
            complete = List.of(call);
          }
          break;
        }
      case "response.completed":
      case "response.incomplete":
        {
          JsonObject r = data.getJsonObject("response");
          remember(r);
          if (r != null) {
            response = JSONB.fromJson(r.toString(), ModelResponse.class);
          }
          done = true;
          break;
        }
      default:
        break;
    }
    return new StreamDelta(event, delta, complete);
  }

  private void remember(JsonObject r) {
    if (r == null) {
      return;
    }
    id = StreamErrors.string(r, "id");
    model = StreamErrors.string(r, "model");
    status = StreamErrors.string(r, "status");
  }

  @Override
  public boolean finished() {
    return done;
  }

  @Override
  public StreamResult result() {
    return new StreamResult(
        text.toString(),
        toolCalls,
        status,
        response == null ? TokenUsage.NONE : TokenUsage.of(response.usage()),
        model,
        id,
        response);
  }
}
