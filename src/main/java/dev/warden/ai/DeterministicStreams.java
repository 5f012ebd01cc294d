package dev.warden.ai;

import dev.warden.config.Jsonp;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.stream.SseEvent;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import java.io.StringReader;
import java.util.List;

/**
 * The deterministic fallback answer as the events an upstream would have streamed, so a streaming
 * caller gets it in the format it expects (chunks and {@code [DONE]}, or typed Responses events).
 */
final class DeterministicStreams {

  private static final Jsonb JSONB = SharedJsonb.JSONB;

  private DeterministicStreams() {}

  static List<SseEvent> chat(ChatCompletion answer) {
    String text = answer.firstText();
    return List.of(
        chunk(
            answer,
            Jsonp.createArrayBuilder()
                .add(
                    Jsonp.createObjectBuilder()
                        .add("index", 0)
                        .add(
                            "delta",
                            Jsonp.createObjectBuilder()
                                .add("role", "assistant")
                                .add("content", text))
                        .add("finish_reason", JsonValue.NULL)),
            null),
        chunk(
            answer,
            Jsonp.createArrayBuilder()
                .add(
                    Jsonp.createObjectBuilder()
                        .add("index", 0)
                        .add("delta", JsonValue.EMPTY_JSON_OBJECT)
                        .add("finish_reason", "stop")),
            null),
        chunk(
            answer,
            Jsonp.createArrayBuilder(),
            Jsonp.createObjectBuilder()
                .add("prompt_tokens", 0)
                .add("completion_tokens", 0)
                .add("total_tokens", 0)
                .build()),
        new SseEvent(null, SseEvent.DONE));
  }

  private static SseEvent chunk(
      ChatCompletion answer, jakarta.json.JsonArrayBuilder choices, JsonObject usage) {
    return new SseEvent(
        null,
        Jsonp.createObjectBuilder()
            .add("id", answer.id())
            .add("object", "chat.completion.chunk")
            .add("created", answer.created())
            .add("model", answer.model())
            .add("choices", choices)
            .add("usage", usage == null ? JsonValue.NULL : usage)
            .build()
            .toString());
  }

  static List<SseEvent> response(ModelResponse answer) {
    JsonObject completed = toJson(answer);
    JsonObject created =
        Jsonp.createObjectBuilder(completed)
            .add("status", "in_progress")
            .add("output", JsonValue.EMPTY_JSON_ARRAY)
            .build();
    String itemId = "msg_" + answer.id();
    return List.of(
        event("response.created", 0, Jsonp.createObjectBuilder().add("response", created).build()),
        event(
            "response.output_text.delta",
            1,
            Jsonp.createObjectBuilder()
                .add("item_id", itemId)
                .add("output_index", 0)
                .add("content_index", 0)
                .add("delta", answer.outputText())
                .build()),
        event(
            "response.completed",
            2,
            Jsonp.createObjectBuilder().add("response", completed).build()));
  }

  private static SseEvent event(String type, int sequence, JsonObject fields) {
    return new SseEvent(
        type,
        Jsonp.createObjectBuilder(fields)
            .add("type", type)
            .add("sequence_number", sequence)
            .build()
            .toString());
  }

  private static JsonObject toJson(ModelResponse response) {
    try (JsonReader reader = Jsonp.createReader(new StringReader(JSONB.toJson(response)))) {
      return reader.readObject();
    }
  }
}
