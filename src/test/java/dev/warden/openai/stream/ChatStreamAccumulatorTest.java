package dev.warden.openai.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.openai.error.MalformedResponseException;
import dev.warden.openai.error.ServerErrorException;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ToolCall;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatStreamAccumulatorTest {

  private static SseEvent chunk(JsonArrayBuilder choices, JsonObjectBuilder usage) {
    JsonObjectBuilder c =
        Json.createObjectBuilder()
            .add("id", "chatcmpl-1")
            .add("object", "chat.completion.chunk")
            .add("created", 1)
            .add("model", "gpt-4o-2024-08-06")
            .add("choices", choices);
    c.add("usage", usage == null ? JsonValue.NULL : usage.build());
    return new SseEvent(null, c.build().toString());
  }

  private static JsonArrayBuilder delta(JsonObjectBuilder delta, String finish) {
    return Json.createArrayBuilder()
        .add(
            Json.createObjectBuilder()
                .add("index", 0)
                .add("delta", delta)
                .add("finish_reason", finish == null ? JsonValue.NULL : Json.createValue(finish)));
  }

  private static SseEvent text(String t) {
    return chunk(delta(Json.createObjectBuilder().add("content", t), null), null);
  }

  private static SseEvent toolDelta(int index, String id, String name, String args) {
    JsonObjectBuilder function = Json.createObjectBuilder().add("arguments", args);
    if (name != null) {
      function.add("name", name);
    }
    JsonObjectBuilder call =
        Json.createObjectBuilder().add("index", index).add("function", function);
    if (id != null) {
      call.add("id", id).add("type", "function");
    }
    return chunk(
        delta(
            Json.createObjectBuilder().add("tool_calls", Json.createArrayBuilder().add(call)),
            null),
        null);
  }

  private static SseEvent usage() {
    return chunk(
        Json.createArrayBuilder(),
        Json.createObjectBuilder()
            .add("prompt_tokens", 11)
            .add("completion_tokens", 7)
            .add("total_tokens", 18)
            .add("prompt_tokens_details", Json.createObjectBuilder().add("cached_tokens", 4))
            .add(
                "completion_tokens_details",
                Json.createObjectBuilder().add("reasoning_tokens", 2)));
  }

  private static final SseEvent DONE = new SseEvent(null, "[DONE]");

  @Test
  void textUsageAndFinishReasonAreAssembled() {
    ChatStreamAccumulator acc = new ChatStreamAccumulator(true, null);
    List<String> deltas = new ArrayList<>();
    for (SseEvent e :
        List.of(
            chunk(
                delta(Json.createObjectBuilder().add("role", "assistant").add("content", ""), null),
                null),
            text("Hel"),
            text("lo"),
            chunk(delta(Json.createObjectBuilder(), "stop"), null),
            usage(),
            DONE)) {
      StreamDelta d = acc.accept(e);
      assertThat(d.forward()).isEqualTo(e);
      deltas.add(d.text());
    }
    assertThat(acc.finished()).isTrue();
    assertThat(String.join("", deltas)).isEqualTo("Hello");
    StreamResult r = acc.result();
    assertThat(r.text()).isEqualTo("Hello");
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.usage()).isEqualTo(new TokenUsage(11, 4, 7, 2));
    assertThat(((ChatCompletion) r.body()).firstText()).isEqualTo("Hello");
  }

  @Test
  void theUsageChunkIsHiddenWhenTheCallerDidNotAskButStillCounted() {
    ChatStreamAccumulator acc = new ChatStreamAccumulator(false, null);
    StreamDelta first = acc.accept(text("Hi"));
    assertThat(first.forward().data()).doesNotContain("usage").contains("\"Hi\"");
    assertThat(acc.accept(usage()).forward()).isNull();
    assertThat(acc.accept(DONE).forward()).isEqualTo(DONE);
    assertThat(acc.result().usage().input()).isEqualTo(11);
  }

  @Test
  void toolCallsAreHandedOverOnlyWhenCompleteWhateverTheSplit() {
    String args0 = "{\"city\":\"Oslo\",\"unit\":\"celsius\"}";
    String args1 = "{\"q\":\"<EMAIL_1> \\\"quoted\\\"\"}";
    for (int cut = 1; cut < args0.length(); cut++) {
      ChatStreamAccumulator acc = new ChatStreamAccumulator(true, null);
      List<ToolCall> handed = new ArrayList<>();
      handed.addAll(
          acc.accept(toolDelta(0, "call_a", "get_weather", args0.substring(0, cut)))
              .completedToolCalls());
      handed.addAll(
          acc.accept(toolDelta(0, null, null, args0.substring(cut))).completedToolCalls());
      assertThat(handed).as("nothing before the call is complete").isEmpty();
      handed.addAll(
          acc.accept(toolDelta(1, "call_b", "search", args1.substring(0, 3))).completedToolCalls());
      assertThat(handed).hasSize(1);
      assertThat(handed.get(0).function().arguments()).isEqualTo(args0);
      assertThat(handed.get(0).id()).isEqualTo("call_a");
      handed.addAll(acc.accept(toolDelta(1, null, null, args1.substring(3))).completedToolCalls());
      handed.addAll(
          acc.accept(chunk(delta(Json.createObjectBuilder(), "tool_calls"), null))
              .completedToolCalls());
      assertThat(handed)
          .extracting(tc -> tc.function().name())
          .containsExactly("get_weather", "search");
      assertThat(handed.get(1).function().arguments()).isEqualTo(args1);
      acc.accept(DONE);
      assertThat(acc.result().toolCalls()).hasSize(2);
      assertThat(acc.result().finishReason()).isEqualTo("tool_calls");
    }
  }

  @Test
  void anErrorChunkIsAFailure() {
    ChatStreamAccumulator acc = new ChatStreamAccumulator(true, null);
    acc.accept(text("partial"));
    SseEvent error =
        new SseEvent(
            null,
            Json.createObjectBuilder()
                .add(
                    "error",
                    Json.createObjectBuilder()
                        .add("message", "overloaded")
                        .add("type", "server_error"))
                .build()
                .toString());
    assertThatThrownBy(() -> acc.accept(error))
        .isInstanceOf(ServerErrorException.class)
        .hasMessage("overloaded");
    assertThat(acc.finished()).isFalse();
  }

  @Test
  void anUnreadableChunkIsMalformed() {
    ChatStreamAccumulator acc = new ChatStreamAccumulator(true, null);
    assertThatThrownBy(() -> acc.accept(new SseEvent(null, "{not json")))
        .isInstanceOf(MalformedResponseException.class);
  }
}
