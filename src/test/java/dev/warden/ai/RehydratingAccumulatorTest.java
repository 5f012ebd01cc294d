package dev.warden.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ToolCall;
import dev.warden.openai.stream.ChatStreamAccumulator;
import dev.warden.openai.stream.ResponsesStreamAccumulator;
import dev.warden.openai.stream.SseEvent;
import dev.warden.openai.stream.StreamAccumulator;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.StreamResult;
import dev.warden.pii.EntityType;
import dev.warden.pii.PlaceholderVault;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RehydratingAccumulatorTest {

  private static final String EMAIL = "jane.doe@example.com";
  private static final String TEXT = "Mail <EMAIL_1> or <PHONE_1>, not <EMAIL_9> or a<b.";
  private static final String PLAIN =
      "Mail " + EMAIL + " or +1 415 555 0100, not <EMAIL_9> or a<b.";

  private static PlaceholderVault vault() {
    PlaceholderVault v = new PlaceholderVault();
    assertThat(v.placeholder(EntityType.EMAIL, EMAIL)).isEqualTo("<EMAIL_1>");
    assertThat(v.placeholder(EntityType.PHONE, "+1 415 555 0100")).isEqualTo("<PHONE_1>");
    return v;
  }

  private static JsonObject json(String data) {
    return Json.createReader(new StringReader(data)).readObject();
  }

  // --- Chat Completions ---------------------------------------------------------------------

  private static SseEvent chunk(JsonObjectBuilder delta, String finishReason) {
    return new SseEvent(
        null,
        Json.createObjectBuilder()
            .add("id", "chatcmpl-1")
            .add("object", "chat.completion.chunk")
            .add("created", 1)
            .add("model", "gpt-4o")
            .add(
                "choices",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("index", 0)
                            .add("delta", delta)
                            .add(
                                "finish_reason",
                                finishReason == null
                                    ? JsonValue.NULL
                                    : Json.createValue(finishReason))))
            .build()
            .toString());
  }

  private static SseEvent content(String text) {
    return chunk(Json.createObjectBuilder().add("content", text), null);
  }

  private static SseEvent args(String arguments, boolean first) {
    JsonObjectBuilder call = Json.createObjectBuilder().add("index", 0);
    if (first) {
      call.add("id", "call_1").add("type", "function");
    }
    JsonObjectBuilder function = Json.createObjectBuilder();
    if (first) {
      function.add("name", "send");
    }
    call.add("function", function.add("arguments", arguments));
    return chunk(
        Json.createObjectBuilder().add("tool_calls", Json.createArrayBuilder().add(call)), null);
  }

  private static SseEvent finish(String reason) {
    return chunk(Json.createObjectBuilder(), reason);
  }

  private static final SseEvent DONE = new SseEvent(null, SseEvent.DONE);

  /** Feeds the events; returns [wire content, subscriber text, wire tool-call arguments]. */
  private static String[] relay(
      StreamAccumulator acc, List<SseEvent> events, List<ToolCall> calls) {
    StringBuilder wire = new StringBuilder();
    StringBuilder text = new StringBuilder();
    StringBuilder arguments = new StringBuilder();
    for (SseEvent e : events) {
      StreamDelta d = acc.accept(e);
      text.append(d.text());
      calls.addAll(d.completedToolCalls());
      if (d.forward() == null || d.forward().isDone()) {
        continue;
      }
      JsonObject delta =
          json(d.forward().data()).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      if (delta.containsKey("content") && !delta.isNull("content")) {
        wire.append(delta.getString("content"));
      }
      if (delta.containsKey("tool_calls")) {
        for (JsonValue tc : delta.getJsonArray("tool_calls")) {
          arguments.append(tc.asJsonObject().getJsonObject("function").getString("arguments", ""));
        }
      }
    }
    return new String[] {wire.toString(), text.toString(), arguments.toString()};
  }

  @Test
  void chatContentSplitAtEveryPositionIsRestored() {
    for (int i = 0; i <= TEXT.length(); i++) {
      for (int j = i; j <= TEXT.length(); j++) {
        StreamAccumulator acc =
            RehydratingAccumulator.chat(new ChatStreamAccumulator(false, null), vault());
        String[] out =
            relay(
                acc,
                List.of(
                    content(TEXT.substring(0, i)),
                    content(TEXT.substring(i, j)),
                    content(TEXT.substring(j)),
                    finish("stop"),
                    DONE),
                new ArrayList<>());
        assertThat(out[0]).as("wire, split at %d/%d", i, j).isEqualTo(PLAIN);
        assertThat(out[1]).as("text, split at %d/%d", i, j).isEqualTo(PLAIN);
        StreamResult result = acc.result();
        assertThat(result.text()).isEqualTo(PLAIN);
        assertThat(((ChatCompletion) result.body()).firstText()).isEqualTo(PLAIN);
      }
    }
  }

  @Test
  void heldBackTextIsFlushedIntoTheFinishChunk() {
    StreamAccumulator acc =
        RehydratingAccumulator.chat(new ChatStreamAccumulator(false, null), vault());
    String[] out =
        relay(
            acc,
            List.of(content("Mail <EMAIL_1"), content(">, or <EMAI"), finish("stop"), DONE),
            new ArrayList<>());
    assertThat(out[0]).isEqualTo("Mail " + EMAIL + ", or <EMAI");
    assertThat(out[1]).isEqualTo(out[0]);
  }

  @Test
  void toolCallArgumentsSplitAtEveryPositionAreRestoredAsJson() {
    String arguments = "{\"to\":\"<EMAIL_1>\",\"note\":\"<NOTE_1>\"}";
    PlaceholderVault v = vault();
    v.placeholder(EntityType.of("NOTE"), "say \"hi\"");
    String restored = "{\"to\":\"" + EMAIL + "\",\"note\":\"say \\\"hi\\\"\"}";
    for (int i = 0; i <= arguments.length(); i++) {
      StreamAccumulator acc =
          RehydratingAccumulator.chat(new ChatStreamAccumulator(false, null), v);
      List<ToolCall> calls = new ArrayList<>();
      String[] out =
          relay(
              acc,
              List.of(
                  args(arguments.substring(0, i), true),
                  args(arguments.substring(i), false),
                  finish("tool_calls"),
                  DONE),
              calls);
      assertThat(out[2]).as("split at %d", i).isEqualTo(restored);
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0).function().arguments()).isEqualTo(restored);
      assertThat(acc.result().toolCalls().get(0).function().arguments()).isEqualTo(restored);
    }
  }

  @Test
  void anEmptyVaultLeavesTheStreamAlone() {
    ChatStreamAccumulator inner = new ChatStreamAccumulator(false, null);
    assertThat(RehydratingAccumulator.chat(inner, new PlaceholderVault())).isSameAs(inner);
    ResponsesStreamAccumulator responses = new ResponsesStreamAccumulator(null);
    assertThat(RehydratingAccumulator.responses(responses, new PlaceholderVault()))
        .isSameAs(responses);
  }

  @Test
  void eventsWithoutPlaceholdersAreForwardedByteForByte() {
    StreamAccumulator acc =
        RehydratingAccumulator.chat(new ChatStreamAccumulator(false, null), vault());
    for (SseEvent e :
        List.of(content("Hello "), content("a<b and <c"), content("> done"), finish("stop"))) {
      assertThat(acc.accept(e).forward().data()).isEqualTo(e.data());
    }
  }

  // --- Responses ----------------------------------------------------------------------------

  private static SseEvent event(String type, JsonObjectBuilder fields) {
    return new SseEvent(
        type, fields.add("type", type).add("sequence_number", 0).build().toString());
  }

  private static JsonObjectBuilder message(String text) {
    return Json.createObjectBuilder()
        .add("type", "message")
        .add("id", "msg_1")
        .add("status", "completed")
        .add("role", "assistant")
        .add(
            "content",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("type", "output_text")
                        .add("text", text)
                        .add("annotations", Json.createArrayBuilder())));
  }

  private static JsonObjectBuilder response(String status, JsonArrayBuilder output) {
    return Json.createObjectBuilder()
        .add("id", "resp_1")
        .add("object", "response")
        .add("status", status)
        .add("model", "gpt-4.1")
        .add("output", output);
  }

  private static JsonObjectBuilder textDelta(String delta) {
    return Json.createObjectBuilder()
        .add("item_id", "msg_1")
        .add("output_index", 0)
        .add("content_index", 0)
        .add("delta", delta);
  }

  @Test
  void responsesDeltasSplitAtEveryPositionAreRestored() {
    for (int i = 0; i <= TEXT.length(); i++) {
      StreamAccumulator acc =
          RehydratingAccumulator.responses(new ResponsesStreamAccumulator(null), vault());
      List<SseEvent> events =
          List.of(
              event(
                  "response.created",
                  Json.createObjectBuilder()
                      .add("response", response("in_progress", Json.createArrayBuilder()))),
              event("response.output_text.delta", textDelta(TEXT.substring(0, i))),
              event("response.output_text.delta", textDelta(TEXT.substring(i))),
              event(
                  "response.output_text.done",
                  Json.createObjectBuilder()
                      .add("item_id", "msg_1")
                      .add("output_index", 0)
                      .add("content_index", 0)
                      .add("text", TEXT)),
              event(
                  "response.output_item.done",
                  Json.createObjectBuilder().add("output_index", 0).add("item", message(TEXT))),
              event(
                  "response.completed",
                  Json.createObjectBuilder()
                      .add(
                          "response",
                          response("completed", Json.createArrayBuilder().add(message(TEXT))))));
      StringBuilder wire = new StringBuilder();
      StringBuilder text = new StringBuilder();
      List<JsonObject> forwarded = new ArrayList<>();
      for (SseEvent e : events) {
        StreamDelta d = acc.accept(e);
        text.append(d.text());
        JsonObject data = json(d.forward().data());
        forwarded.add(data);
        assertThat(d.forward().event()).isEqualTo(e.event());
        if ("response.output_text.delta".equals(e.event())) {
          wire.append(data.getString("delta"));
        }
      }
      assertThat(wire.toString()).as("split at %d", i).isEqualTo(PLAIN);
      assertThat(text.toString()).as("split at %d", i).isEqualTo(PLAIN);
      assertThat(forwarded.get(3).getString("text")).isEqualTo(PLAIN);
      assertThat(
              forwarded
                  .get(4)
                  .getJsonObject("item")
                  .getJsonArray("content")
                  .getJsonObject(0)
                  .getString("text"))
          .isEqualTo(PLAIN);
      assertThat(
              forwarded
                  .get(5)
                  .getJsonObject("response")
                  .getJsonArray("output")
                  .getJsonObject(0)
                  .getJsonArray("content")
                  .getJsonObject(0)
                  .getString("text"))
          .isEqualTo(PLAIN);
      assertThat(acc.finished()).isTrue();
      StreamResult result = acc.result();
      assertThat(result.text()).isEqualTo(PLAIN);
      assertThat(((ModelResponse) result.body()).output().get(0).text()).isEqualTo(PLAIN);
    }
  }

  @Test
  void responsesFunctionCallArgumentsAreRestored() {
    String arguments = "{\"to\":\"<EMAIL_1>\"}";
    String restored = "{\"to\":\"" + EMAIL + "\"}";
    for (int i = 0; i <= arguments.length(); i++) {
      StreamAccumulator acc =
          RehydratingAccumulator.responses(new ResponsesStreamAccumulator(null), vault());
      StringBuilder wire = new StringBuilder();
      for (String part : List.of(arguments.substring(0, i), arguments.substring(i))) {
        StreamDelta d =
            acc.accept(
                event(
                    "response.function_call_arguments.delta",
                    Json.createObjectBuilder()
                        .add("item_id", "fc_1")
                        .add("output_index", 0)
                        .add("delta", part)));
        wire.append(json(d.forward().data()).getString("delta"));
      }
      StreamDelta done =
          acc.accept(
              event(
                  "response.output_item.done",
                  Json.createObjectBuilder()
                      .add("output_index", 0)
                      .add(
                          "item",
                          Json.createObjectBuilder()
                              .add("type", "function_call")
                              .add("id", "fc_1")
                              .add("call_id", "call_1")
                              .add("name", "send")
                              .add("arguments", arguments))));
      assertThat(wire.toString()).as("split at %d", i).isEqualTo(restored);
      assertThat(json(done.forward().data()).getJsonObject("item").getString("arguments"))
          .isEqualTo(restored);
      assertThat(done.completedToolCalls().get(0).function().arguments()).isEqualTo(restored);
    }
  }
}
