package dev.warden.openai.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ServerErrorException;
import dev.warden.openai.model.ModelResponse;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;

class ResponsesStreamAccumulatorTest {

  private static SseEvent event(String type, JsonObjectBuilder fields) {
    return new SseEvent(
        type, fields.add("type", type).add("sequence_number", 0).build().toString());
  }

  private static JsonObjectBuilder response(String status) {
    return Json.createObjectBuilder()
        .add("id", "resp_1")
        .add("object", "response")
        .add("status", status)
        .add("model", "gpt-4.1-2025-04-14")
        .add(
            "usage",
            Json.createObjectBuilder()
                .add("input_tokens", 20)
                .add("input_tokens_details", Json.createObjectBuilder().add("cached_tokens", 8))
                .add("output_tokens", 5)
                .add("output_tokens_details", Json.createObjectBuilder().add("reasoning_tokens", 1))
                .add("total_tokens", 25));
  }

  @Test
  void textFunctionCallsAndUsage() {
    ResponsesStreamAccumulator acc = new ResponsesStreamAccumulator(null);
    acc.accept(
        event(
            "response.created",
            Json.createObjectBuilder().add("response", response("in_progress"))));
    assertThat(
            acc.accept(
                    event(
                        "response.output_text.delta",
                        Json.createObjectBuilder().add("delta", "Hel")))
                .text())
        .isEqualTo("Hel");
    acc.accept(event("response.output_text.delta", Json.createObjectBuilder().add("delta", "lo")));
    assertThat(
            acc.accept(
                    event(
                        "response.function_call_arguments.delta",
                        Json.createObjectBuilder().add("delta", "{\"ci")))
                .completedToolCalls())
        .isEmpty();
    StreamDelta done =
        acc.accept(
            event(
                "response.output_item.done",
                Json.createObjectBuilder()
                    .add(
                        "item",
                        Json.createObjectBuilder()
                            .add("type", "function_call")
                            .add("call_id", "call_9")
                            .add("name", "get_weather")
                            .add("arguments", "{\"city\":\"Oslo\"}"))));
    assertThat(done.completedToolCalls())
        .singleElement()
        .satisfies(
            tc -> {
              assertThat(tc.id()).isEqualTo("call_9");
              assertThat(tc.function().arguments()).isEqualTo("{\"city\":\"Oslo\"}");
            });
    assertThat(acc.finished()).isFalse();
    acc.accept(
        event(
            "response.completed",
            Json.createObjectBuilder().add("response", response("completed"))));
    assertThat(acc.finished()).isTrue();
    StreamResult r = acc.result();
    assertThat(r.text()).isEqualTo("Hello");
    assertThat(r.finishReason()).isEqualTo("completed");
    assertThat(r.usage()).isEqualTo(new TokenUsage(20, 8, 5, 1));
    assertThat(((ModelResponse) r.body()).id()).isEqualTo("resp_1");
  }

  @Test
  void errorEventsAndFailedResponsesAreFailures() {
    assertThatThrownBy(
            () ->
                new ResponsesStreamAccumulator(null)
                    .accept(
                        event(
                            "error",
                            Json.createObjectBuilder()
                                .add("code", "invalid_prompt")
                                .add("message", "bad")
                                .add("type", "invalid_request_error"))))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("bad");
    assertThatThrownBy(
            () ->
                new ResponsesStreamAccumulator(null)
                    .accept(
                        event(
                            "response.failed",
                            Json.createObjectBuilder()
                                .add(
                                    "response",
                                    response("failed")
                                        .add(
                                            "error",
                                            Json.createObjectBuilder()
                                                .add("code", "server_error")
                                                .add("message", "boom"))))))
        .isInstanceOf(ServerErrorException.class);
  }

  @Test
  void anIncompleteResponseEndsTheStreamWithoutError() {
    ResponsesStreamAccumulator acc = new ResponsesStreamAccumulator(null);
    acc.accept(
        event(
            "response.incomplete",
            Json.createObjectBuilder().add("response", response("incomplete"))));
    assertThat(acc.finished()).isTrue();
    assertThat(acc.result().finishReason()).isEqualTo("incomplete");
  }
}
