package dev.warden.openai.model;

import static dev.warden.openai.model.RoundTrip.JSONB;
import static dev.warden.openai.model.RoundTrip.json;
import static dev.warden.openai.model.RoundTrip.object;
import static dev.warden.openai.model.RoundTrip.read;
import static dev.warden.openai.model.RoundTrip.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatModelTest {

  private static final String COMPLETION =
      """
      {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1741569952,
        "model": "gpt-5.4", "service_tier": "default", "system_fingerprint": "fp_1",
        "choices": [{
          "index": 0, "finish_reason": "stop", "logprobs": null,
          "message": {"role": "assistant", "content": "Hello there", "refusal": null,
                      "annotations": []}
        }],
        "usage": {
          "prompt_tokens": 2048, "completion_tokens": 300, "total_tokens": 2348,
          "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
          "completion_tokens_details": {"reasoning_tokens": 256, "audio_tokens": 0,
            "accepted_prediction_tokens": 1, "rejected_prediction_tokens": 2}
        }
      }
      """;

  @Test
  void usageDetailsAreRead() {
    ChatCompletion completion = read(COMPLETION, ChatCompletion.class);

    Usage usage = completion.usage();
    assertThat(usage.promptTokens()).isEqualTo(2048);
    assertThat(usage.completionTokens()).isEqualTo(300);
    assertThat(usage.totalTokens()).isEqualTo(2348);
    assertThat(usage.promptTokensDetails().cachedTokens()).isEqualTo(1024);
    assertThat(usage.completionTokensDetails().reasoningTokens()).isEqualTo(256);
    assertThat(usage.completionTokensDetails().acceptedPredictionTokens()).isEqualTo(1);
    assertThat(usage.completionTokensDetails().rejectedPredictionTokens()).isEqualTo(2);
    assertThat(completion.serviceTier()).isEqualTo("default");
    assertThat(completion.created()).isEqualTo(1741569952L);
    assertThat(completion.firstText()).isEqualTo("Hello there");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo("stop");
    assertThat(completion.choices().get(0).logprobs()).isNull();
  }

  @Test
  void unknownFieldsAreIgnoredAtEveryLevel() {
    JsonObject original = object(COMPLETION);
    JsonObject choice = original.getJsonArray("choices").getJsonObject(0);
    JsonObject message = choice.getJsonObject("message");
    JsonObject usage = original.getJsonObject("usage");
    JsonObject withUnknowns =
        Json.createObjectBuilder(original)
            .add(
                "zz_top_level", Json.createObjectBuilder().add("nested", Json.createArrayBuilder()))
            .add(
                "choices",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder(choice)
                            .add("zz_choice", 1)
                            .add(
                                "message",
                                Json.createObjectBuilder(message).add("zz_message", "x"))))
            .add(
                "usage",
                Json.createObjectBuilder(usage)
                    .add(
                        "prompt_tokens_details",
                        Json.createObjectBuilder(usage.getJsonObject("prompt_tokens_details"))
                            .add("zz_details", true)))
            .build();

    ChatCompletion completion = read(withUnknowns, ChatCompletion.class);

    assertThat(completion).isEqualTo(read(original, ChatCompletion.class));
    assertThat(completion.usage().promptTokensDetails().cachedTokens()).isEqualTo(1024);
    assertThat(JSONB.toJson(completion)).doesNotContain("zz_");
  }

  @Test
  void unknownFieldsInsideRequestMessagesAndContentPartsAreIgnored() {
    String request =
        """
        {"model": "m", "zz_unknown": {"a": 1},
         "messages": [{"role": "user", "zz_in_message": 2,
                       "content": [{"type": "text", "text": "hi", "zz_in_part": [3]}]}]}
        """;

    ChatCompletionRequest parsed = read(request, ChatCompletionRequest.class);

    assertThat(parsed.messages().get(0).content().parts()).containsExactly(ContentPart.text("hi"));
    assertThat(written(parsed))
        .isEqualTo(
            json(
                """
                {"model": "m",
                 "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]}
                """));
  }

  @Test
  void stringContentStaysAStringAndPartsStayAnArray() {
    String asString = "{\"content\":\"Hello\",\"role\":\"user\"}";
    String asSinglePartArray =
        "{\"content\":[{\"text\":\"Hello\",\"type\":\"text\"}],\"role\":\"user\"}";

    ChatMessage fromString = read(asString, ChatMessage.class);
    ChatMessage fromArray = read(asSinglePartArray, ChatMessage.class);

    assertThat(fromString.content().isString()).isTrue();
    assertThat(fromString.content().string()).isEqualTo("Hello");
    assertThat(fromArray.content().isString()).isFalse();
    assertThat(fromArray.content().parts()).containsExactly(ContentPart.text("Hello"));
    assertThat(fromString.text()).isEqualTo(fromArray.text()).isEqualTo("Hello");
    assertThat(fromString).isNotEqualTo(fromArray);
    assertThat(JSONB.toJson(fromString)).isEqualTo(asString);
    assertThat(JSONB.toJson(fromArray)).isEqualTo(asSinglePartArray);
  }

  @Test
  void everyContentPartKindRoundTripsExactly() {
    JsonValue message =
        json(
            """
            {"role": "user", "name": "alice", "content": [
              {"type": "text", "text": "Look: "},
              {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}},
              {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
              {"type": "file", "file": {"file_id": "file-1"}},
              {"type": "file", "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBE"}},
              {"type": "text", "text": "and this"}
            ]}
            """);

    ChatMessage parsed = read(message, ChatMessage.class);

    assertThat(written(parsed)).isEqualTo(message);
    assertThat(parsed.text()).isEqualTo("Look: and this");
    assertThat(parsed.content().parts())
        .containsExactly(
            ContentPart.text("Look: "),
            ContentPart.imageUrl("https://x/y.png", "low"),
            ContentPart.inputAudio("UklGRg==", "wav"),
            ContentPart.fileId("file-1"),
            ContentPart.fileData("a.pdf", "data:application/pdf;base64,JVBE"),
            ContentPart.text("and this"));
  }

  @Test
  void assistantRefusalPartsAndToolCallsRoundTrip() {
    JsonValue message =
        json(
            """
            {"role": "assistant",
             "content": [{"type": "refusal", "refusal": "I can't"}, {"type": "text", "text": "ok"}],
             "tool_calls": [{"id": "call_1", "type": "function",
                             "function": {"name": "f", "arguments": "{\\"a\\":1}"}}]}
            """);

    ChatMessage parsed = read(message, ChatMessage.class);

    assertThat(written(parsed)).isEqualTo(message);
    assertThat(parsed.content().parts().get(0).refusal()).isEqualTo("I can't");
    assertThat(parsed.text()).isEqualTo("ok");
    assertThat(parsed.toolCalls()).containsExactly(ToolCall.function("call_1", "f", "{\"a\":1}"));
  }

  @Test
  void nullContentReadsAsNullAndIsOmitted() {
    ChatMessage parsed =
        read(
            "{\"role\":\"assistant\",\"content\":null,\"refusal\":null,\"annotations\":null}",
            ChatMessage.class);

    assertThat(parsed.content()).isNull();
    assertThat(parsed.text()).isNull();
    assertThat(parsed.annotations()).as("JSON null is Java null, not JsonValue.NULL").isNull();
    assertThat(JSONB.toJson(parsed)).isEqualTo("{\"role\":\"assistant\"}");
  }

  @Test
  void contentOfAnotherShapeIsRejected() {
    assertThatThrownBy(() -> read("{\"role\":\"user\",\"content\":42}", ChatMessage.class))
        .isInstanceOf(JsonbException.class)
        .hasStackTraceContaining("content must be a string or an array");
  }

  @Test
  void messageFactoriesProduceTheWireFormat() {
    List<ChatMessage> messages =
        List.of(
            ChatMessage.system("s"),
            ChatMessage.developer("d"),
            ChatMessage.user("u"),
            ChatMessage.user(List.of(ContentPart.text("t"), ContentPart.imageUrl("https://i"))),
            ChatMessage.assistant("a"),
            ChatMessage.assistant(List.of(ToolCall.function("call_9", "lookup", "{}"))),
            ChatMessage.tool("call_9", "42"),
            ChatMessage.user("named").withName("bob"));

    assertThat(written(messages))
        .isEqualTo(
            json(
                """
                [{"role": "system", "content": "s"},
                 {"role": "developer", "content": "d"},
                 {"role": "user", "content": "u"},
                 {"role": "user", "content": [{"type": "text", "text": "t"},
                                              {"type": "image_url", "image_url": {"url": "https://i"}}]},
                 {"role": "assistant", "content": "a"},
                 {"role": "assistant", "tool_calls": [{"id": "call_9", "type": "function",
                                                       "function": {"name": "lookup", "arguments": "{}"}}]},
                 {"role": "tool", "tool_call_id": "call_9", "content": "42"},
                 {"role": "user", "content": "named", "name": "bob"}]
                """));
  }

  @Test
  void builderProducesTheExpectedJson() {
    JsonObject schema =
        object(
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]}");
    ChatCompletionRequest request =
        ChatCompletionRequest.builder()
            .model("gpt-5.4")
            .messages(ChatMessage.system("Be brief."), ChatMessage.user("Hi"))
            .maxCompletionTokens(256)
            .responseFormat(ResponseFormat.jsonSchema("answer", schema, true))
            .stream(true)
            .streamOptions(StreamOptions.includingUsage())
            .tools(Tool.function("get_weather", "Weather of a city", schema, true))
            .toolChoice(ToolChoice.function("get_weather"))
            .stop(StopSequences.ofAll("END", "STOP"))
            .metadata("team", "search")
            .temperature(0.2)
            .seed(7L)
            .build();

    assertThat(written(request))
        .isEqualTo(
            json(
                """
                {"model": "gpt-5.4",
                 "messages": [{"role": "system", "content": "Be brief."},
                              {"role": "user", "content": "Hi"}],
                 "max_completion_tokens": 256,
                 "response_format": {"type": "json_schema",
                   "json_schema": {"name": "answer", "strict": true,
                     "schema": {"type": "object", "properties": {"a": {"type": "string"}},
                                "required": ["a"]}}},
                 "stream": true,
                 "stream_options": {"include_usage": true},
                 "tools": [{"type": "function",
                   "function": {"name": "get_weather", "description": "Weather of a city",
                     "strict": true,
                     "parameters": {"type": "object", "properties": {"a": {"type": "string"}},
                                    "required": ["a"]}}}],
                 "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
                 "stop": ["END", "STOP"],
                 "metadata": {"team": "search"},
                 "temperature": 0.2,
                 "seed": 7}
                """));
    assertThat(request.streaming()).isTrue();
  }

  @Test
  void withModelAndWithStreamOptionsReturnModifiedCopies() {
    ChatCompletionRequest request =
        ChatCompletionRequest.builder()
            .model("gpt-5.4")
            .message(ChatMessage.user("Hi"))
            .toolChoice("auto")
            .stop("\n")
            .build();

    ChatCompletionRequest other = request.withModel("gpt-5.4-mini");
    ChatCompletionRequest usage = request.withStreamOptions(StreamOptions.includingUsage());

    assertThat(request.model()).isEqualTo("gpt-5.4");
    assertThat(request.streamOptions()).isNull();
    assertThat(other.model()).isEqualTo("gpt-5.4-mini");
    assertThat(other.messages()).isEqualTo(request.messages());
    assertThat(usage.streamOptions().includeUsage()).isTrue();
    assertThat(written(usage).asJsonObject().getJsonObject("stream_options"))
        .isEqualTo(object("{\"include_usage\":true}"));
    assertThat(written(request))
        .isEqualTo(
            json(
                """
                {"model": "gpt-5.4", "messages": [{"role": "user", "content": "Hi"}],
                 "tool_choice": "auto", "stop": "\\n"}
                """));
  }

  @Test
  void toolChoiceAndStopRoundTripInBothForms() {
    // Exact text comparison: Yasson writes properties in lexicographical order.
    for (String request :
        List.of(
            "{\"stop\":\"x\",\"tool_choice\":\"required\"}",
            "{\"stop\":[\"x\"],\"tool_choice\":{\"function\":{\"name\":\"f\"},\"type\":\"function\"}}",
            "{\"tool_choice\":{\"allowed_tools\":{\"mode\":\"auto\",\"tools\":[]},\"type\":\"allowed_tools\"}}")) {
      assertThat(JSONB.toJson(read(request, ChatCompletionRequest.class))).isEqualTo(request);
    }
    ChatCompletionRequest forced =
        read(
            "{\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}",
            ChatCompletionRequest.class);
    assertThat(forced.toolChoice().isMode()).isFalse();
    assertThat(forced.toolChoice().functionName()).isEqualTo("f");
    assertThat(forced.toolChoice()).isEqualTo(ToolChoice.function("f"));
    assertThat(read("{\"tool_choice\":\"none\"}", ChatCompletionRequest.class).toolChoice())
        .isEqualTo(ToolChoice.NONE);
    assertThat(read("{\"stop\":[\"a\",\"b\"]}", ChatCompletionRequest.class).stop().values())
        .containsExactly("a", "b");
  }

  @Test
  void recordsCopyListsAndMapsDefensivelyAndKeepNulls() {
    List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.user("a")));
    messages.add(null);
    Map<String, String> metadata = new HashMap<>(Map.of("k", "v"));
    ChatCompletionRequest request =
        ChatCompletionRequest.builder().model("m").messages(messages).metadata(metadata).build();

    messages.add(ChatMessage.user("b"));
    metadata.put("k2", "v2");

    assertThat(request.messages()).containsExactly(ChatMessage.user("a"), null);
    assertThat(request.metadata()).containsExactly(Map.entry("k", "v"));
    assertThatThrownBy(() -> request.messages().add(ChatMessage.user("c")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> request.metadata().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(request.tools()).isNull();
    assertThat(request.toBuilder().build()).isEqualTo(request);
  }

  @Test
  void firstTextIsNullWhenTheModelOnlyCalledTools() {
    ChatCompletion completion =
        read(
            """
            {"id": "c", "object": "chat.completion", "created": 1, "model": "m",
             "choices": [{"index": 0, "finish_reason": "tool_calls",
               "message": {"role": "assistant", "content": null,
                 "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "f", "arguments": "{}"}}]}}]}
            """,
            ChatCompletion.class);

    assertThat(completion.firstText()).isNull();
    assertThat(completion.firstMessage().toolCalls().get(0).function().name()).isEqualTo("f");
    assertThat(read("{\"choices\":[]}", ChatCompletion.class).firstText()).isNull();
  }
}
