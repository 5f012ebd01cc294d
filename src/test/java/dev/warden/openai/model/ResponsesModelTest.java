package dev.warden.openai.model;

import static dev.warden.openai.model.RoundTrip.JSONB;
import static dev.warden.openai.model.RoundTrip.json;
import static dev.warden.openai.model.RoundTrip.object;
import static dev.warden.openai.model.RoundTrip.read;
import static dev.warden.openai.model.RoundTrip.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.openai.model.OpenApiExamples.Example;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponsesModelTest {

  private static final String RESPONSE =
      """
      {
        "id": "resp_1", "object": "response", "created_at": 1741476542, "status": "completed",
        "error": null, "incomplete_details": null, "instructions": null, "model": "gpt-5.4",
        "output": [
          {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA",
           "content": [{"type": "reasoning_text", "text": "thinking"}]},
          {"type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
           "content": [
             {"type": "output_text", "text": "Hello, ", "annotations": [], "logprobs": []},
             {"type": "refusal", "refusal": "not this"},
             {"type": "some_future_part", "text": "not output_text"},
             {"type": "output_text", "text": "world", "annotations": []}
           ]},
          {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f",
           "arguments": "{}", "status": "completed"},
          {"type": "message", "id": "msg_2", "status": "completed", "role": "assistant",
           "content": [{"type": "output_text", "text": "!", "annotations": []}]}
        ],
        "parallel_tool_calls": true, "tool_choice": "auto", "tools": [], "temperature": 1.0,
        "top_p": 1.0, "metadata": {},
        "usage": {"input_tokens": 5000, "input_tokens_details": {"cached_tokens": 4096},
                  "output_tokens": 900, "output_tokens_details": {"reasoning_tokens": 640},
                  "total_tokens": 5900}
      }
      """;

  @Test
  void outputTextConcatenatesTheOutputTextOfMessageItems() {
    ModelResponse response = RoundTrip.assertRoundTrip(json(RESPONSE), ModelResponse.class);

    assertThat(response.outputText()).isEqualTo("Hello, world!");
    assertThat(response.functionCalls()).extracting(ResponseItem::callId).containsExactly("call_1");
    assertThat(response.output().get(0).encryptedContent()).isEqualTo("gAAA");
    assertThat(response.output().get(0).text()).isEqualTo("thinking");
    assertThat(response.output().get(1).text()).isEqualTo("Hello, not output_textworld");
    assertThat(read("{\"output\":[]}", ModelResponse.class).outputText()).isEmpty();
    assertThat(read("{}", ModelResponse.class).outputText()).isEmpty();
  }

  @Test
  void usageDetailsAreRead() {
    ResponseUsage usage = read(RESPONSE, ModelResponse.class).usage();

    assertThat(usage.inputTokens()).isEqualTo(5000);
    assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(4096);
    assertThat(usage.outputTokens()).isEqualTo(900);
    assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(640);
    assertThat(usage.totalTokens()).isEqualTo(5900);
  }

  @Test
  void nullsReadAsJavaNullAndAreOmitted() {
    ModelResponse response = read(RESPONSE, ModelResponse.class);

    assertThat(response.error()).isNull();
    assertThat(response.instructions()).isNull();
    assertThat(response.incompleteDetails()).isNull();
    assertThat(written(response).asJsonObject())
        .doesNotContainKeys("error", "instructions", "incomplete_details", "background");
  }

  @Test
  void instructionsComeBackAsStringOrArray() {
    ModelResponse asString = read("{\"instructions\":\"Be brief.\"}", ModelResponse.class);
    JsonValue items =
        json(
            "[{\"type\":\"message\",\"role\":\"developer\",\"content\":[{\"type\":\"input_text\",\"text\":\"x\"}]}]");
    ModelResponse asArray =
        read(Json.createObjectBuilder().add("instructions", items).build(), ModelResponse.class);

    assertThat(asString.instructionsText()).isEqualTo("Be brief.");
    assertThat(asArray.instructionsText()).isNull();
    assertThat(asArray.instructions()).isEqualTo(items);
    assertThat(written(asArray).asJsonObject().get("instructions")).isEqualTo(items);
  }

  @Test
  void errorAndToolChoiceObjectsAreRead() {
    ModelResponse failed =
        read(
            """
            {"status": "failed", "error": {"code": "server_error", "message": "boom"},
             "tool_choice": {"type": "function", "name": "f"},
             "incomplete_details": {"reason": "max_output_tokens"}}
            """,
            ModelResponse.class);

    assertThat(failed.error()).isEqualTo(new ResponseError("server_error", "boom"));
    assertThat(failed.toolChoice().functionName()).isEqualTo("f");
    assertThat(failed.toolChoice()).isEqualTo(ToolChoice.responsesFunction("f"));
    assertThat(failed.incompleteDetails()).isEqualTo(object("{\"reason\":\"max_output_tokens\"}"));
  }

  @Test
  void inputStringStaysAStringAndItemsStayAnArray() {
    String asString = "{\"input\":\"Hello\",\"model\":\"m\"}";
    String asItems =
        "{\"input\":[{\"content\":\"Hello\",\"role\":\"user\"},"
            + "{\"content\":[{\"text\":\"Hi\",\"type\":\"input_text\"}],\"role\":\"user\",\"type\":\"message\"}],"
            + "\"model\":\"m\"}";

    CreateResponseRequest fromString = read(asString, CreateResponseRequest.class);
    CreateResponseRequest fromItems = read(asItems, CreateResponseRequest.class);

    assertThat(fromString.input().isString()).isTrue();
    assertThat(fromString.input().string()).isEqualTo("Hello");
    assertThat(fromItems.input().isString()).isFalse();
    assertThat(fromItems.input().items()).hasSize(2);
    assertThat(JSONB.toJson(fromString)).isEqualTo(asString);
    assertThat(JSONB.toJson(fromItems)).isEqualTo(asItems);
  }

  @Test
  void itemContentGivenAsAStringReadsAsOneTextPartAndIsWrittenBackAsAString() {
    ResponseItem easy =
        read("{\"role\":\"user\",\"content\":\"What is 2+2?\"}", ResponseItem.class);
    ResponseItem parts =
        read(
            "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"What is 2+2?\"}]}",
            ResponseItem.class);

    assertThat(easy.contentIsString()).isTrue();
    assertThat(parts.contentIsString()).isFalse();
    assertThat(easy.content()).containsExactly(ResponseContent.inputText("What is 2+2?"));
    assertThat(easy.text()).isEqualTo(parts.text()).isEqualTo("What is 2+2?");
    assertThat(written(easy)).isEqualTo(json("{\"role\":\"user\",\"content\":\"What is 2+2?\"}"));
    assertThat(written(parts))
        .isEqualTo(
            json(
                "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"What is 2+2?\"}]}"));
    assertThatThrownBy(() -> easy.content().add(ResponseContent.inputText("x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void webAndFileSearchItemsSurviveARoundTrip() {
    JsonValue output =
        json(
            """
            {"object": "list", "has_more": false, "first_id": "ws_1", "last_id": "fs_1", "data": [
              {"type": "web_search_call", "id": "ws_1", "status": "completed",
               "action": {"type": "search", "query": "news", "sources": [{"type": "url", "url": "https://a"}]}},
              {"type": "file_search_call", "id": "fs_1", "status": "completed",
               "queries": ["dragons"],
               "results": [{"file_id": "file-1", "filename": "d.pdf", "score": 0.97, "text": "...",
                            "attributes": {"k": "v"}}]},
              {"type": "function_call_output", "call_id": "call_1", "output": "{\\"temp\\":21}"},
              {"type": "function_call_output", "call_id": "call_2",
               "output": [{"type": "input_text", "text": "done"}]},
              {"type": "reasoning", "id": "rs_1",
               "summary": [{"type": "summary_text", "text": "thought"}],
               "content": [{"type": "reasoning_text", "text": "step"}]}
            ]}
            """);

    ResponseItemList list = RoundTrip.assertRoundTrip(output, ResponseItemList.class);

    assertThat(written(list)).isEqualTo(output);
    assertThat(list.data().get(1).queries()).isEqualTo(json("[\"dragons\"]"));
  }

  @Test
  void itemFactoriesProduceTheWireFormat() {
    assertThat(
            written(
                List.of(
                    ResponseItem.message("user", "Hi"),
                    ResponseItem.message(
                        "user",
                        List.of(
                            ResponseContent.inputText("Look"),
                            ResponseContent.inputImage("https://i"),
                            ResponseContent.inputFile("file-1"))),
                    ResponseItem.message("assistant", List.of(ResponseContent.outputText("Yes"))),
                    ResponseItem.functionCall("call_1", "f", "{\"a\":1}"),
                    ResponseItem.functionCallOutput("call_1", "{\"ok\":true}"))))
        .isEqualTo(
            json(
                """
                [{"type": "message", "role": "user", "content": "Hi"},
                 {"type": "message", "role": "user", "content": [
                   {"type": "input_text", "text": "Look"},
                   {"type": "input_image", "image_url": "https://i", "detail": "auto"},
                   {"type": "input_file", "file_id": "file-1"}]},
                 {"type": "message", "role": "assistant", "content": [
                   {"type": "output_text", "text": "Yes", "annotations": []}]},
                 {"type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{\\"a\\":1}"},
                 {"type": "function_call_output", "call_id": "call_1", "output": "{\\"ok\\":true}"}]
                """));
  }

  @Test
  void builderProducesTheExpectedJson() {
    JsonObject schema =
        object("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");
    CreateResponseRequest request =
        CreateResponseRequest.builder()
            .model("gpt-5.4")
            .instructions("Answer in JSON.")
            .input(ResponseItem.message("user", "Weather?"))
            .text(ResponseTextConfig.of(ResponseTextFormat.jsonSchema("weather", schema, true)))
            .reasoning(ReasoningConfig.effort("low"))
            .tool(CreateResponseRequest.functionTool("get_weather", null, schema, true))
            .toolChoice(ToolChoice.responsesFunction("get_weather"))
            .maxOutputTokens(500)
            .store(false)
            .include(List.of("reasoning.encrypted_content"))
            .metadata("tenant", "acme")
            .build();

    assertThat(written(request))
        .isEqualTo(
            json(
                """
                {"model": "gpt-5.4", "instructions": "Answer in JSON.",
                 "input": [{"type": "message", "role": "user", "content": "Weather?"}],
                 "text": {"format": {"type": "json_schema", "name": "weather", "strict": true,
                   "schema": {"type": "object", "properties": {}, "additionalProperties": false}}},
                 "reasoning": {"effort": "low"},
                 "tools": [{"type": "function", "name": "get_weather", "strict": true,
                   "parameters": {"type": "object", "properties": {}, "additionalProperties": false}}],
                 "tool_choice": {"type": "function", "name": "get_weather"},
                 "max_output_tokens": 500, "store": false,
                 "include": ["reasoning.encrypted_content"],
                 "metadata": {"tenant": "acme"}}
                """));

    CreateResponseRequest mini = request.withModel("gpt-5.4-mini");
    assertThat(mini.model()).isEqualTo("gpt-5.4-mini");
    assertThat(request.model()).isEqualTo("gpt-5.4");
    assertThat(mini.toBuilder().model("gpt-5.4").build()).isEqualTo(request);
    assertThat(written(CreateResponseRequest.builder().model("m").input("Hi").build()))
        .isEqualTo(json("{\"model\":\"m\",\"input\":\"Hi\"}"));
  }

  @Test
  void unknownFieldsAreIgnoredInItemsAndContentParts() {
    ModelResponse response =
        read(
            """
            {"id": "resp_1", "zz_new_top": {"x": [1]},
             "output": [{"type": "message", "role": "assistant", "zz_new_item": true,
               "content": [{"type": "output_text", "text": "ok", "zz_new_part": 1}]}],
             "usage": {"input_tokens": 1, "zz_new_usage": 2,
                       "input_tokens_details": {"cached_tokens": 0, "zz": 3}}}
            """,
            ModelResponse.class);

    assertThat(response.outputText()).isEqualTo("ok");
    assertThat(JSONB.toJson(response)).doesNotContain("zz");
  }

  @Test
  void theStreamingExampleCarriesResponsesThatRoundTrip() {
    Example streaming =
        OpenApiExamples.examples("/responses", "post").stream()
            .filter(example -> example.title().equals("Streaming"))
            .findFirst()
            .orElseThrow();
    List<String> events =
        streaming.response().lines().filter(line -> line.startsWith("data: ")).toList();
    assertThat(events).isNotEmpty();
    int responses = 0;
    for (String event : events) {
      JsonObject data = object(event.substring("data: ".length()));
      if (data.containsKey("response")) {
        ModelResponse response =
            RoundTrip.assertRoundTrip(data.get("response"), ModelResponse.class);
        if (data.getString("type").equals("response.completed")) {
          assertThat(response.outputText()).isEqualTo("Hi there! How can I assist you today?");
          assertThat(response.instructionsText()).isEqualTo("You are a helpful assistant.");
        }
        responses++;
      } else if (data.containsKey("item")) {
        RoundTrip.assertRoundTrip(data.get("item"), ResponseItem.class);
      } else if (data.containsKey("part")) {
        RoundTrip.assertRoundTrip(data.get("part"), ResponseContent.class);
      }
    }
    assertThat(responses).isEqualTo(3);
  }
}
