package dev.warden.mock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MockOpenAiServerTest {
  private static WireMockServer server;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void startServer() {
    server = MockOpenAiServer.start(0);
    base = MockOpenAiServer.baseUrl(server);
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @AfterEach
  void reset() {
    MockOpenAiServer.resetToDefaults(server);
  }

  // ---- chat completions --------------------------------------------------------------------

  @Test
  void chatCompletionAnswersTheLastUserMessageWithUsageAndHeaders() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/chat/completions",
            "{\"model\":\"gpt-4o-mini\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello there\"}]}",
            "Idempotency-Key",
            "idem-123");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("x-request-id"))
        .get()
        .asString()
        .matches("req_[0-9a-f]{32}");
    assertThat(response.headers().firstValue("x-mock-idempotency-key")).hasValue("idem-123");
    JsonObject body = json(response);
    assertThat(body.getString("id")).startsWith("chatcmpl-");
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getJsonNumber("created").longValue()).isPositive();
    assertThat(body.getString("model")).isEqualTo("gpt-4o-mini");
    assertThat(body.getString("system_fingerprint")).startsWith("fp_");
    JsonArray choices = body.getJsonArray("choices");
    assertThat(choices).hasSize(1);
    JsonObject choice = choices.getJsonObject(0);
    assertThat(choice.getInt("index")).isZero();
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.isNull("logprobs")).isTrue();
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getString("content")).isEqualTo("Mock answer to: Hello there");
    assertThat(message.containsKey("tool_calls")).isFalse();

    // "Be brief." (9) + "Hello there" (11) = 20 chars -> 5 tokens, + 3 per message.
    JsonObject usage = body.getJsonObject("usage");
    assertThat(usage.getInt("prompt_tokens")).isEqualTo(5 + 2 * 3);
    assertThat(usage.getInt("completion_tokens")).isEqualTo(7); // 27 chars
    assertThat(usage.getInt("total_tokens")).isEqualTo(18);
    assertThat(usage.getJsonObject("prompt_tokens_details").getInt("cached_tokens")).isZero();
    assertThat(usage.getJsonObject("prompt_tokens_details").getInt("audio_tokens")).isZero();
    JsonObject completionDetails = usage.getJsonObject("completion_tokens_details");
    assertThat(completionDetails.getInt("reasoning_tokens")).isZero();
    assertThat(completionDetails.getInt("audio_tokens")).isZero();
    assertThat(completionDetails.getInt("accepted_prediction_tokens")).isZero();
    assertThat(completionDetails.getInt("rejected_prediction_tokens")).isZero();
  }

  @Test
  void chatCompletionIsDeterministicApartFromIds() throws Exception {
    String request =
        "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Same question\"}]}";
    JsonObject first = json(send("POST", "/chat/completions", request));
    JsonObject second = json(send("POST", "/chat/completions", request));

    assertThat(first.getString("id")).isNotEqualTo(second.getString("id"));
    assertThat(first.getJsonArray("choices")).isEqualTo(second.getJsonArray("choices"));
    assertThat(first.getJsonObject("usage")).isEqualTo(second.getJsonObject("usage"));
    assertThat(first.getString("system_fingerprint"))
        .isEqualTo(second.getString("system_fingerprint"));
  }

  @Test
  void chatCompletionReadsTextPartsMakesNChoicesAndCutsTheQuestionAt80Chars() throws Exception {
    JsonObject parts =
        json(
            send(
                "POST",
                "/chat/completions",
                "{\"model\":\"gpt-4o\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":["
                    + "{\"type\":\"text\",\"text\":\"Describe \"},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}},"
                    + "{\"type\":\"text\",\"text\":\"this\"}]}]}"));
    JsonArray choices = parts.getJsonArray("choices");
    assertThat(choices).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(choices.getJsonObject(i).getInt("index")).isEqualTo(i);
      assertThat(choices.getJsonObject(i).getJsonObject("message").getString("content"))
          .isEqualTo("Mock answer to: Describe this");
    }
    // two choices of ceil(29 / 4) = 8 tokens
    assertThat(parts.getJsonObject("usage").getInt("completion_tokens")).isEqualTo(16);

    String longQuestion = "q".repeat(200);
    JsonObject longAnswer =
        json(
            send(
                "POST",
                "/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + longQuestion
                    + "\"}]}"));
    assertThat(content(longAnswer)).isEqualTo("Mock answer to: " + "q".repeat(80));
  }

  @Test
  void chatCompletionCallsEveryToolInParallelWithSchemaDerivedArguments() throws Exception {
    JsonObject body =
        json(
            send(
                "POST",
                "/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
                    + "\"tools\":["
                    + WEATHER_TOOL
                    + ","
                    + TIME_TOOL
                    + "]}"));
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.isNull("content")).isTrue();
    JsonArray calls = message.getJsonArray("tool_calls");
    assertThat(calls).hasSize(2);
    JsonObject weather = calls.getJsonObject(0);
    assertThat(weather.getString("id")).startsWith("call_");
    assertThat(weather.getString("type")).isEqualTo("function");
    assertThat(weather.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(parse(weather.getJsonObject("function").getString("arguments")))
        .isEqualTo(parse("{\"location\":\"mock\",\"unit\":\"celsius\"}"));
    JsonObject time = calls.getJsonObject(1);
    assertThat(time.getJsonObject("function").getString("name")).isEqualTo("get_time");
    assertThat(parse(time.getJsonObject("function").getString("arguments")))
        .isEqualTo(
            parse(
                "{\"tz\":\"mock\",\"count\":1,\"ratio\":1,\"verbose\":true,\"tags\":[],"
                    + "\"options\":{}}"));
    assertThat(weather.getString("id")).isNotEqualTo(time.getString("id"));
  }

  @Test
  void chatCompletionCallsOneToolWhenNotParallelOrNamedAndNoneForToolChoiceNone() throws Exception {
    String prefix =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
            + "\"tools\":["
            + WEATHER_TOOL
            + ","
            + TIME_TOOL
            + "],";
    JsonArray single =
        message(json(send("POST", "/chat/completions", prefix + "\"parallel_tool_calls\":false}")))
            .getJsonArray("tool_calls");
    assertThat(single).hasSize(1);
    assertThat(single.getJsonObject(0).getJsonObject("function").getString("name"))
        .isEqualTo("get_weather");

    JsonArray named =
        message(
                json(
                    send(
                        "POST",
                        "/chat/completions",
                        prefix
                            + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":"
                            + "\"get_time\"}}}")))
            .getJsonArray("tool_calls");
    assertThat(named).hasSize(1);
    assertThat(named.getJsonObject(0).getJsonObject("function").getString("name"))
        .isEqualTo("get_time");

    JsonObject none = json(send("POST", "/chat/completions", prefix + "\"tool_choice\":\"none\"}"));
    assertThat(message(none).containsKey("tool_calls")).isFalse();
    assertThat(content(none)).isEqualTo("Mock answer to: Weather?");
    assertThat(none.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
  }

  @Test
  void chatCompletionAnswersWithTheToolResultsAfterToolMessages() throws Exception {
    JsonObject body =
        json(
            send(
                "POST",
                "/chat/completions",
                "{\"model\":\"gpt-4o\",\"tools\":["
                    + WEATHER_TOOL
                    + "],\"messages\":["
                    + "{\"role\":\"user\",\"content\":\"Weather?\"},"
                    + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                    + "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                    + "\"arguments\":\"{}\"}},"
                    + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                    + "\"arguments\":\"{}\"}}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"22C\"},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":[{\"type\":\"text\","
                    + "\"text\":\" and sunny\"}]}]}"));
    assertThat(content(body)).isEqualTo("Mock answer using tool results: 22C and sunny");
    assertThat(body.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
  }

  @Test
  void chatCompletionJsonSchemaOutputIsAValidInstance() throws Exception {
    String schema =
        "{\"type\":\"object\",\"additionalProperties\":false,"
            + "\"required\":[\"title\",\"status\",\"count\",\"score\",\"ok\",\"items\",\"owner\","
            + "\"note\",\"kind\"],"
            + "\"properties\":{"
            + "\"title\":{\"type\":\"string\",\"minLength\":6},"
            + "\"status\":{\"type\":\"string\",\"enum\":[\"open\",\"closed\"]},"
            + "\"count\":{\"type\":\"integer\",\"minimum\":5},"
            + "\"score\":{\"type\":\"number\",\"maximum\":0.5},"
            + "\"ok\":{\"type\":\"boolean\"},"
            + "\"items\":{\"type\":\"array\",\"minItems\":2,\"items\":{\"$ref\":\"#/$defs/item\"}},"
            + "\"owner\":{\"$ref\":\"#/$defs/person\"},"
            + "\"note\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"string\",\"format\":\"date\"}]},"
            + "\"kind\":{\"const\":\"report\"},"
            + "\"optional\":{\"type\":\"string\"}},"
            + "\"$defs\":{"
            + "\"item\":{\"type\":\"object\",\"required\":[\"sku\",\"qty\"],\"properties\":{"
            + "\"sku\":{\"type\":\"string\"},\"qty\":{\"type\":\"integer\"}}},"
            + "\"person\":{\"type\":\"object\",\"required\":[\"name\",\"tags\"],\"properties\":{"
            + "\"name\":{\"type\":[\"string\",\"null\"]},\"tags\":{\"type\":\"array\","
            + "\"items\":{\"type\":\"string\"}}}}}}";
    JsonObject body =
        json(
            send(
                "POST",
                "/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Report\"}],"
                    + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":"
                    + "\"report\",\"strict\":true,\"schema\":"
                    + schema
                    + "}}}"));
    JsonObject instance = parse(content(body));
    assertThat(instance.keySet())
        .containsExactlyInAnyOrder(
            "title", "status", "count", "score", "ok", "items", "owner", "note", "kind");
    assertThat(instance.getString("title")).hasSizeGreaterThanOrEqualTo(6);
    assertThat(instance.getString("status")).isEqualTo("open");
    assertThat(instance.getInt("count")).isGreaterThanOrEqualTo(5);
    assertThat(instance.getJsonNumber("score").doubleValue()).isLessThanOrEqualTo(0.5);
    assertThat(instance.getBoolean("ok")).isTrue();
    JsonArray items = instance.getJsonArray("items");
    assertThat(items).hasSize(2);
    assertThat(items.getJsonObject(0).getString("sku")).isEqualTo("mock");
    assertThat(items.getJsonObject(0).getInt("qty")).isEqualTo(1);
    assertThat(instance.getJsonObject("owner").getString("name")).isEqualTo("mock");
    assertThat(instance.getJsonObject("owner").getJsonArray("tags")).isEmpty();
    assertThat(instance.getString("note")).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(instance.getString("kind")).isEqualTo("report");
  }

  @Test
  void chatCompletionTruncatesAtMaxCompletionTokens() throws Exception {
    JsonObject body =
        json(
            send(
                "POST",
                "/chat/completions",
                "{\"model\":\"gpt-4o\",\"max_completion_tokens\":3,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story\"}]}"));
    assertThat(content(body)).isEqualTo("Mock answer ");
    assertThat(body.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("length");
    assertThat(body.getJsonObject("usage").getInt("completion_tokens")).isEqualTo(3);
  }

  @Test
  void reasoningModelsReportReasoningTokens() throws Exception {
    for (String model : List.of("o4-mini", "gpt-5-mini")) {
      JsonObject usage =
          json(send(
                  "POST",
                  "/chat/completions",
                  "{\"model\":\""
                      + model
                      + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Think\"}]}"))
              .getJsonObject("usage");
      int reasoning = usage.getJsonObject("completion_tokens_details").getInt("reasoning_tokens");
      assertThat(reasoning).as(model).isPositive();
      // "Mock answer to: Think" = 21 chars -> 6 visible tokens, plus the reasoning tokens
      assertThat(usage.getInt("completion_tokens")).isEqualTo(6 + reasoning);
    }
  }

  @Test
  void chatCompletionStreamsChunksWithUsageAndDone() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/chat/completions",
            "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello streaming world\"}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    List<String> data = sseData(response.body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    List<JsonObject> chunks =
        data.subList(0, data.size() - 1).stream()
            .map(MockOpenAiServerTest::parse)
            .collect(Collectors.toList());
    String id = chunks.get(0).getString("id");
    assertThat(id).startsWith("chatcmpl-");
    for (JsonObject chunk : chunks) {
      assertThat(chunk.getString("id")).isEqualTo(id);
      assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(chunk.getString("model")).isEqualTo("gpt-4o");
    }
    JsonObject first = chunks.get(0).getJsonArray("choices").getJsonObject(0);
    assertThat(first.getJsonObject("delta").getString("role")).isEqualTo("assistant");
    assertThat(first.isNull("finish_reason")).isTrue();

    JsonObject usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.getJsonArray("choices")).isEmpty();
    assertThat(usageChunk.getJsonObject("usage").getInt("completion_tokens"))
        .isEqualTo(10); // "Mock answer to: Hello streaming world" = 37 chars
    assertThat(usageChunk.getJsonObject("usage").getInt("prompt_tokens")).isEqualTo(6 + 3);

    JsonObject finish = chunks.get(chunks.size() - 2).getJsonArray("choices").getJsonObject(0);
    assertThat(finish.getString("finish_reason")).isEqualTo("stop");
    assertThat(finish.getJsonObject("delta")).isEmpty();

    List<String> pieces = new ArrayList<>();
    for (JsonObject chunk : chunks.subList(1, chunks.size() - 2)) {
      JsonObject delta = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      assertThat(delta.containsKey("role")).isFalse();
      pieces.add(delta.getString("content"));
      assertThat(chunk.isNull("usage")).isTrue();
    }
    assertThat(pieces.size()).isGreaterThanOrEqualTo(4);
    assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isBetween(1, 8));
    assertThat(String.join("", pieces)).isEqualTo("Mock answer to: Hello streaming world");
  }

  @Test
  void chatCompletionStreamHasNoUsageChunkUnlessAskedFor() throws Exception {
    List<String> data =
        sseData(
            send(
                    "POST",
                    "/chat/completions",
                    "{\"model\":\"gpt-4o\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    for (String chunk : data.subList(0, data.size() - 1)) {
      JsonObject c = parse(chunk);
      assertThat(c.containsKey("usage")).isFalse();
      assertThat(c.getJsonArray("choices")).hasSize(1);
    }
    JsonObject last = parse(data.get(data.size() - 2));
    assertThat(last.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
  }

  @Test
  void chatCompletionStreamsToolCallArgumentsOverSeveralDeltas() throws Exception {
    String request =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
            + "\"tools\":["
            + WEATHER_TOOL
            + ","
            + TIME_TOOL
            + "]";
    JsonArray expected =
        message(json(send("POST", "/chat/completions", request + "}"))).getJsonArray("tool_calls");
    List<String> data =
        sseData(send("POST", "/chat/completions", request + ",\"stream\":true}").body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");

    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
    String[] names = new String[2];
    int[] deltas = new int[2];
    String finishReason = null;
    for (String chunk : data.subList(0, data.size() - 1)) {
      JsonObject choice = parse(chunk).getJsonArray("choices").getJsonObject(0);
      if (!choice.isNull("finish_reason")) {
        finishReason = choice.getString("finish_reason");
      }
      JsonObject delta = choice.getJsonObject("delta");
      if (!delta.containsKey("tool_calls")) {
        continue;
      }
      JsonObject call = delta.getJsonArray("tool_calls").getJsonObject(0);
      int index = call.getInt("index");
      JsonObject function = call.getJsonObject("function");
      if (deltas[index]++ == 0) {
        assertThat(call.getString("id")).startsWith("call_");
        assertThat(call.getString("type")).isEqualTo("function");
        names[index] = function.getString("name");
      } else {
        assertThat(call.containsKey("id")).isFalse();
        assertThat(function.containsKey("name")).isFalse();
      }
      arguments[index].append(function.getString("arguments"));
    }
    assertThat(finishReason).isEqualTo("tool_calls");
    assertThat(names).containsExactly("get_weather", "get_time");
    assertThat(deltas[0]).isGreaterThan(2);
    for (int i = 0; i < 2; i++) {
      assertThat(arguments[i].toString())
          .isEqualTo(expected.getJsonObject(i).getJsonObject("function").getString("arguments"));
    }
  }

  @Test
  void dribbleHeaderSpreadsTheStreamOverTime() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response =
        send(
            "POST",
            "/chat/completions",
            "{\"model\":\"gpt-4o\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Slowly please\"}]}",
            "x-mock-dribble-ms",
            "600");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(500);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
  }

  // ---- responses ---------------------------------------------------------------------------

  @Test
  void responseIsCreatedStoredAndRetrieved() throws Exception {
    JsonObject created =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4.1\",\"input\":\"Hello responses\","
                    + "\"instructions\":\"Be nice.\",\"metadata\":{\"team\":\"a\"},"
                    + "\"temperature\":0.2,\"truncation\":\"auto\"}"));
    assertThat(created.getString("id")).startsWith("resp_");
    assertThat(created.getString("object")).isEqualTo("response");
    assertThat(created.getString("status")).isEqualTo("completed");
    assertThat(created.getJsonNumber("created_at").longValue()).isPositive();
    assertThat(created.getString("model")).isEqualTo("gpt-4.1");
    assertThat(created.getString("instructions")).isEqualTo("Be nice.");
    assertThat(created.getJsonObject("metadata").getString("team")).isEqualTo("a");
    assertThat(created.getJsonNumber("temperature").doubleValue()).isEqualTo(0.2);
    assertThat(created.getJsonNumber("top_p").doubleValue()).isEqualTo(1.0);
    assertThat(created.getString("truncation")).isEqualTo("auto");
    assertThat(created.getBoolean("store")).isTrue();
    assertThat(created.getBoolean("background")).isFalse();
    assertThat(created.getBoolean("parallel_tool_calls")).isTrue();
    assertThat(created.getString("tool_choice")).isEqualTo("auto");
    assertThat(created.getJsonArray("tools")).isEmpty();
    assertThat(created.isNull("previous_response_id")).isTrue();
    assertThat(created.getJsonObject("text").getJsonObject("format").getString("type"))
        .isEqualTo("text");
    JsonArray output = created.getJsonArray("output");
    assertThat(output).hasSize(1);
    JsonObject item = output.getJsonObject(0);
    assertThat(item.getString("type")).isEqualTo("message");
    assertThat(item.getString("id")).startsWith("msg_");
    assertThat(item.getString("status")).isEqualTo("completed");
    assertThat(item.getString("role")).isEqualTo("assistant");
    JsonObject part = item.getJsonArray("content").getJsonObject(0);
    assertThat(part.getString("type")).isEqualTo("output_text");
    assertThat(part.getString("text")).isEqualTo("Mock answer to: Hello responses");
    assertThat(part.getJsonArray("annotations")).isEmpty();
    JsonObject usage = created.getJsonObject("usage");
    // "Be nice." (8) + "Hello responses" (15) = 23 chars -> 6, + 3 per item (instructions, message)
    assertThat(usage.getInt("input_tokens")).isEqualTo(6 + 6);
    assertThat(usage.getJsonObject("input_tokens_details").getInt("cached_tokens")).isZero();
    assertThat(usage.getInt("output_tokens")).isEqualTo(8); // 31 chars
    assertThat(usage.getJsonObject("output_tokens_details").getInt("reasoning_tokens")).isZero();
    assertThat(usage.getInt("total_tokens")).isEqualTo(20);

    JsonObject retrieved = json(send("GET", "/responses/" + created.getString("id"), null));
    assertThat(retrieved.getString("id")).isEqualTo(created.getString("id"));
    assertThat(retrieved.getJsonArray("output")).isEqualTo(output);
    assertThat(retrieved.getJsonObject("usage")).isEqualTo(usage);
  }

  @Test
  void conversationsKeepTheirItemsAndAResponseInOneReadsAndExtendsThem() throws Exception {
    JsonObject created =
        json(
            send(
                "POST",
                "/conversations",
                "{\"metadata\":{\"topic\":\"t\"},"
                    + "\"items\":[{\"type\":\"message\",\"role\":\"user\","
                    + "\"content\":\"first question\"}]}"));
    String id = created.getString("id");
    assertThat(id).startsWith("conv_");
    assertThat(created.getString("object")).isEqualTo("conversation");
    assertThat(created.getJsonObject("metadata").getString("topic")).isEqualTo("t");

    JsonObject response =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"second\",\"conversation\":{\"id\":\""
                    + id
                    + "\"}}"));
    assertThat(outputText(response)).isEqualTo("Mock answer to: second");
    assertThat(response.getJsonObject("conversation").getString("id")).isEqualTo(id);
    // the conversation's first item counts as input
    JsonObject alone =
        json(send("POST", "/responses", "{\"model\":\"gpt-4o\",\"input\":\"second\"}"));
    assertThat(response.getJsonObject("usage").getInt("input_tokens"))
        .isGreaterThan(alone.getJsonObject("usage").getInt("input_tokens"));

    JsonObject items = json(send("GET", "/conversations/" + id + "/items?order=asc", null));
    assertThat(items.getJsonArray("data")).hasSize(3);
    assertThat(items.getJsonArray("data").getJsonObject(2).getString("role"))
        .isEqualTo("assistant");
    JsonObject page = json(send("GET", "/conversations/" + id + "/items?order=asc&limit=1", null));
    assertThat(page.getBoolean("has_more")).isTrue();

    JsonObject added =
        json(
            send(
                "POST",
                "/conversations/" + id + "/items",
                "{\"items\":[{\"role\":\"user\",\"content\":\"third\"}]}"));
    String itemId = added.getJsonArray("data").getJsonObject(0).getString("id");
    assertThat(json(send("GET", "/conversations/" + id + "/items/" + itemId, null)).getString("id"))
        .isEqualTo(itemId);
    assertThat(
            json(send("DELETE", "/conversations/" + id + "/items/" + itemId, null)).getString("id"))
        .isEqualTo(id);
    assertThat(send("GET", "/conversations/" + id + "/items/" + itemId, null).statusCode())
        .isEqualTo(404);
    JsonObject updated =
        json(send("POST", "/conversations/" + id, "{\"metadata\":{\"topic\":\"u\"}}"));
    assertThat(updated.getJsonObject("metadata").getString("topic")).isEqualTo("u");

    HttpResponse<String> both =
        send(
            "POST",
            "/responses",
            "{\"model\":\"gpt-4o\",\"input\":\"x\",\"conversation\":\""
                + id
                + "\",\"previous_response_id\":\""
                + response.getString("id")
                + "\"}");
    assertThat(both.statusCode()).isEqualTo(400);

    assertThat(json(send("DELETE", "/conversations/" + id, null)).getBoolean("deleted")).isTrue();
    assertThat(send("GET", "/conversations/" + id, null).statusCode()).isEqualTo(404);
    HttpResponse<String> gone =
        send(
            "POST",
            "/responses",
            "{\"model\":\"gpt-4o\",\"input\":\"x\",\"conversation\":\"" + id + "\"}");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(json(gone).getJsonObject("error").getString("param")).isEqualTo("conversation");
  }

  @Test
  void previousResponseIdChainsTurnsAndMustExist() throws Exception {
    JsonObject first =
        json(send("POST", "/responses", "{\"model\":\"gpt-4o\",\"input\":\"first question\"}"));
    assertThat(outputText(first)).isEqualTo("Mock answer to: first question");
    JsonObject second =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"second\",\"previous_response_id\":\""
                    + first.getString("id")
                    + "\"}"));
    assertThat(outputText(second)).isEqualTo("Mock answer to: second (turn 2)");
    assertThat(second.getString("previous_response_id")).isEqualTo(first.getString("id"));
    JsonObject third =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":\"third\"}],"
                    + "\"previous_response_id\":\""
                    + second.getString("id")
                    + "\"}"));
    assertThat(outputText(third)).isEqualTo("Mock answer to: third (turn 3)");
    // the earlier turns count as input
    assertThat(third.getJsonObject("usage").getInt("input_tokens"))
        .isGreaterThan(second.getJsonObject("usage").getInt("input_tokens"));

    HttpResponse<String> missing =
        send(
            "POST",
            "/responses",
            "{\"model\":\"gpt-4o\",\"input\":\"x\",\"previous_response_id\":\"resp_nope\"}");
    assertThat(missing.statusCode()).isEqualTo(404);
    JsonObject error = json(missing).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("param")).isEqualTo("previous_response_id");
  }

  @Test
  void backgroundResponseIsQueuedThenCompletesOnTheSecondRetrieve() throws Exception {
    JsonObject queued =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-5\",\"input\":\"Work hard\",\"background\":true}"));
    String id = queued.getString("id");
    assertThat(queued.getString("status")).isEqualTo("queued");
    assertThat(queued.getBoolean("background")).isTrue();
    assertThat(queued.getJsonArray("output")).isEmpty();
    assertThat(queued.isNull("usage")).isTrue();

    JsonObject progress = json(send("GET", "/responses/" + id, null));
    assertThat(progress.getString("status")).isEqualTo("in_progress");
    JsonObject done = json(send("GET", "/responses/" + id, null));
    assertThat(done.getString("status")).isEqualTo("completed");
    assertThat(outputText(done)).isEqualTo("Mock answer to: Work hard");
    assertThat(
            done.getJsonObject("usage")
                .getJsonObject("output_tokens_details")
                .getInt("reasoning_tokens"))
        .isPositive();
    assertThat(json(send("GET", "/responses/" + id, null)).getString("status"))
        .isEqualTo("completed");
  }

  @Test
  void onlyBackgroundResponsesCanBeCancelled() throws Exception {
    String id =
        json(send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"Long job\",\"background\":true}"))
            .getString("id");
    JsonObject cancelled = json(send("POST", "/responses/" + id + "/cancel", ""));
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    assertThat(json(send("GET", "/responses/" + id, null)).getString("status"))
        .isEqualTo("cancelled");
    assertThat(json(send("GET", "/responses/" + id, null)).getJsonArray("output")).isEmpty();

    String plain =
        json(send("POST", "/responses", "{\"model\":\"gpt-4o\",\"input\":\"Quick\"}"))
            .getString("id");
    HttpResponse<String> refused = send("POST", "/responses/" + plain + "/cancel", "");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json(refused).getJsonObject("error").getString("type"))
        .isEqualTo("invalid_request_error");
    assertThat(send("POST", "/responses/resp_unknown/cancel", "").statusCode()).isEqualTo(404);
  }

  @Test
  void deletedAndUnstoredResponsesAreNotRetrievable() throws Exception {
    String id =
        json(send("POST", "/responses", "{\"model\":\"gpt-4o\",\"input\":\"Keep me\"}"))
            .getString("id");
    JsonObject deleted = json(send("DELETE", "/responses/" + id, null));
    assertThat(deleted.getString("id")).isEqualTo(id);
    assertThat(deleted.getString("object")).isEqualTo("response.deleted");
    assertThat(deleted.getBoolean("deleted")).isTrue();
    HttpResponse<String> gone = send("GET", "/responses/" + id, null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(json(gone).getJsonObject("error").getString("message")).contains(id);
    assertThat(send("DELETE", "/responses/" + id, null).statusCode()).isEqualTo(404);

    JsonObject unstored =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"Forget me\",\"store\":false}"));
    assertThat(unstored.getBoolean("store")).isFalse();
    assertThat(outputText(unstored)).isEqualTo("Mock answer to: Forget me");
    assertThat(send("GET", "/responses/" + unstored.getString("id"), null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void inputItemsListTheRequestItemsWithIds() throws Exception {
    String id =
        json(send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"input\":["
                    + "{\"type\":\"message\",\"role\":\"developer\",\"content\":\"Rules\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"Question\"}]}]}"))
            .getString("id");
    JsonObject desc = json(send("GET", "/responses/" + id + "/input_items", null));
    assertThat(desc.getString("object")).isEqualTo("list");
    assertThat(desc.getBoolean("has_more")).isFalse();
    JsonArray data = desc.getJsonArray("data");
    assertThat(data).hasSize(2);
    assertThat(data.getJsonObject(0).getString("role")).isEqualTo("user"); // newest first
    assertThat(data.getJsonObject(1).getString("role")).isEqualTo("developer");
    assertThat(data.getJsonObject(1).getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("Rules");
    for (JsonValue item : data) {
      assertThat(item.asJsonObject().getString("id")).startsWith("msg_");
      assertThat(item.asJsonObject().getString("type")).isEqualTo("message");
    }
    assertThat(desc.getString("first_id")).isEqualTo(data.getJsonObject(0).getString("id"));
    assertThat(desc.getString("last_id")).isEqualTo(data.getJsonObject(1).getString("id"));

    JsonObject asc = json(send("GET", "/responses/" + id + "/input_items?order=asc&limit=1", null));
    assertThat(asc.getJsonArray("data")).hasSize(1);
    assertThat(asc.getJsonArray("data").getJsonObject(0).getString("role")).isEqualTo("developer");
    assertThat(asc.getBoolean("has_more")).isTrue();
    assertThat(send("GET", "/responses/resp_unknown/input_items", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void responseFunctionToolsProduceFunctionCallsAndToolOutputsAnAnswer() throws Exception {
    JsonObject calls =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"Weather in Paris?\",\"tools\":["
                    + "{\"type\":\"function\",\"name\":\"get_weather\",\"strict\":true,"
                    + "\"parameters\":{\"type\":\"object\",\"required\":[\"city\",\"days\"],"
                    + "\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}}}},"
                    + "{\"type\":\"function\",\"name\":\"get_news\",\"strict\":false,"
                    + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}]}"));
    JsonArray output = calls.getJsonArray("output");
    assertThat(output).hasSize(2);
    JsonObject call = output.getJsonObject(0);
    assertThat(call.getString("type")).isEqualTo("function_call");
    assertThat(call.getString("call_id")).startsWith("call_");
    assertThat(call.getString("name")).isEqualTo("get_weather");
    assertThat(parse(call.getString("arguments")))
        .isEqualTo(parse("{\"city\":\"mock\",\"days\":1}"));
    assertThat(output.getJsonObject(1).getString("name")).isEqualTo("get_news");
    assertThat(calls.getJsonArray("tools")).hasSize(2);

    JsonObject answer =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"previous_response_id\":\""
                    + calls.getString("id")
                    + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\""
                    + call.getString("call_id")
                    + "\",\"output\":\"18C, cloudy\"}]}"));
    assertThat(outputText(answer)).isEqualTo("Mock answer using tool results: 18C, cloudy");
  }

  @Test
  void responseStreamEmitsTypedEventsInOrder() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/responses",
            "{\"model\":\"gpt-4o\",\"input\":\"Stream this answer please\",\"stream\":true}");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    List<String[]> events = sseEvents(response.body());
    List<String> types = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      JsonObject data = parse(events.get(i)[1]);
      assertThat(data.getString("type")).isEqualTo(events.get(i)[0]);
      assertThat(data.getInt("sequence_number")).isEqualTo(i);
      types.add(data.getString("type"));
      if ("response.output_text.delta".equals(data.getString("type"))) {
        text.append(data.getString("delta"));
      }
    }
    assertThat(types.subList(0, 4))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added");
    assertThat(types.subList(types.size() - 4, types.size()))
        .containsExactly(
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    assertThat(types.stream().filter("response.output_text.delta"::equals).count())
        .isGreaterThanOrEqualTo(3);
    assertThat(text.toString()).isEqualTo("Mock answer to: Stream this answer please");
    JsonObject created = parse(events.get(0)[1]).getJsonObject("response");
    assertThat(created.getString("status")).isEqualTo("in_progress");
    JsonObject completed = parse(events.get(events.size() - 1)[1]).getJsonObject("response");
    assertThat(completed.getString("status")).isEqualTo("completed");
    assertThat(completed.getJsonObject("usage").getInt("output_tokens")).isEqualTo(11);
    assertThat(outputText(completed)).isEqualTo(text.toString());
    // a streamed, stored response can be retrieved afterwards
    assertThat(outputText(json(send("GET", "/responses/" + completed.getString("id"), null))))
        .isEqualTo(text.toString());
  }

  @Test
  void responseStreamOfFunctionCallsUsesArgumentEvents() throws Exception {
    List<String[]> events =
        sseEvents(
            send(
                    "POST",
                    "/responses",
                    "{\"model\":\"gpt-4o\",\"input\":\"Call it\",\"stream\":true,\"tools\":["
                        + "{\"type\":\"function\",\"name\":\"lookup\",\"strict\":true,"
                        + "\"parameters\":{\"type\":\"object\",\"required\":[\"query\",\"limit\"],"
                        + "\"properties\":{\"query\":{\"type\":\"string\"},"
                        + "\"limit\":{\"type\":\"integer\"}}}}]}")
                .body());
    StringBuilder arguments = new StringBuilder();
    String done = null;
    for (String[] event : events) {
      JsonObject data = parse(event[1]);
      if ("response.function_call_arguments.delta".equals(event[0])) {
        arguments.append(data.getString("delta"));
      } else if ("response.function_call_arguments.done".equals(event[0])) {
        done = data.getString("arguments");
        assertThat(data.getString("name")).isEqualTo("lookup");
      }
    }
    assertThat(done).isEqualTo(arguments.toString());
    assertThat(parse(done)).isEqualTo(parse("{\"query\":\"mock\",\"limit\":1}"));
    assertThat(events.get(events.size() - 1)[0]).isEqualTo("response.completed");
  }

  @Test
  void responseJsonSchemaTextFormatProducesAnInstance() throws Exception {
    JsonObject body =
        json(
            send(
                "POST",
                "/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"Extract\",\"text\":{\"format\":{"
                    + "\"type\":\"json_schema\",\"name\":\"person\",\"strict\":true,\"schema\":{"
                    + "\"type\":\"object\",\"required\":[\"name\",\"age\",\"role\"],\"properties\":{"
                    + "\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\",\"minimum\":18},"
                    + "\"role\":{\"enum\":[\"admin\",\"user\"]}}}}}}"));
    assertThat(parse(outputText(body)))
        .isEqualTo(parse("{\"name\":\"mock\",\"age\":18,\"role\":\"admin\"}"));
    assertThat(body.getJsonObject("text").getJsonObject("format").getString("name"))
        .isEqualTo("person");
  }

  // ---- embeddings and models ---------------------------------------------------------------

  @Test
  void embeddingsAreDeterministicUnitVectors() throws Exception {
    JsonObject body =
        json(
            send(
                "POST",
                "/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta\",\"alpha\"]}"));
    assertThat(body.getString("object")).isEqualTo("list");
    assertThat(body.getString("model")).isEqualTo("text-embedding-3-small");
    JsonArray data = body.getJsonArray("data");
    assertThat(data).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(data.getJsonObject(i).getString("object")).isEqualTo("embedding");
      assertThat(data.getJsonObject(i).getInt("index")).isEqualTo(i);
      assertThat(vector(data.getJsonObject(i))).hasSize(1536);
      assertThat(norm(vector(data.getJsonObject(i)))).isCloseTo(1.0, within(1e-4));
    }
    assertThat(vector(data.getJsonObject(0))).containsExactly(vector(data.getJsonObject(2)));
    assertThat(vector(data.getJsonObject(0))).isNotEqualTo(vector(data.getJsonObject(1)));
    assertThat(body.getJsonObject("usage").getInt("prompt_tokens")).isEqualTo(2 + 1 + 2);
    assertThat(body.getJsonObject("usage").getInt("total_tokens")).isEqualTo(5);

    JsonObject again =
        json(
            send(
                "POST",
                "/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":\"alpha\"}"));
    assertThat(vector(again.getJsonArray("data").getJsonObject(0)))
        .containsExactly(vector(data.getJsonObject(0)));

    JsonObject large =
        json(send("POST", "/embeddings", "{\"model\":\"text-embedding-3-large\",\"input\":\"x\"}"));
    assertThat(vector(large.getJsonArray("data").getJsonObject(0))).hasSize(3072);
    JsonObject small =
        json(
            send(
                "POST",
                "/embeddings",
                "{\"model\":\"text-embedding-3-large\",\"input\":\"x\",\"dimensions\":256}"));
    double[] shortVector = vector(small.getJsonArray("data").getJsonObject(0));
    assertThat(shortVector).hasSize(256);
    assertThat(norm(shortVector)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void base64EmbeddingsAreLittleEndianFloat32() throws Exception {
    String request = "{\"model\":\"text-embedding-3-small\",\"input\":\"encode me\"";
    double[] floats =
        vector(
            json(send("POST", "/embeddings", request + "}")).getJsonArray("data").getJsonObject(0));
    String encoded =
        json(send("POST", "/embeddings", request + ",\"encoding_format\":\"base64\"}"))
            .getJsonArray("data")
            .getJsonObject(0)
            .getString("embedding");
    ByteBuffer buffer =
        ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(buffer.remaining()).isEqualTo(4 * 1536);
    for (double expected : floats) {
      assertThat((double) buffer.getFloat()).isCloseTo(expected, within(1e-7));
    }
  }

  @Test
  void modelsListsTheCatalogue() throws Exception {
    JsonObject body = json(send("GET", "/models", null));
    assertThat(body.getString("object")).isEqualTo("list");
    List<String> ids = new ArrayList<>();
    for (JsonValue v : body.getJsonArray("data")) {
      JsonObject model = v.asJsonObject();
      assertThat(model.getString("object")).isEqualTo("model");
      assertThat(model.getString("owned_by")).isEqualTo("openai");
      assertThat(model.getJsonNumber("created").longValue()).isPositive();
      ids.add(model.getString("id"));
    }
    assertThat(ids)
        .containsExactly(
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4.1",
            "gpt-4.1-mini",
            "gpt-4.1-nano",
            "gpt-5",
            "gpt-5-mini",
            "o4-mini",
            "text-embedding-3-small",
            "text-embedding-3-large");
    assertThat(json(send("GET", "/models/o4-mini", null)).getString("id")).isEqualTo("o4-mini");
    assertThat(send("GET", "/models/gpt-unknown", null).statusCode()).isEqualTo(404);
  }

  // ---- files and batches -------------------------------------------------------------------

  @Test
  void filesAndBatchLifecycleRunEveryLine() throws Exception {
    String jsonl =
        "{\"custom_id\":\"req-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"First\"}]}}\n"
            + "{\"custom_id\":\"req-2\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Second\"}]}}\n"
            + "{\"custom_id\":\"req-3\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            + "\"body\":{\"messages\":[{\"role\":\"user\",\"content\":\"No model\"}]}}\n";
    JsonObject file = upload("requests.jsonl", "batch", jsonl);
    String fileId = file.getString("id");
    assertThat(fileId).startsWith("file-");
    assertThat(file.getString("object")).isEqualTo("file");
    assertThat(file.getInt("bytes")).isEqualTo(jsonl.getBytes(StandardCharsets.UTF_8).length);
    assertThat(file.getString("filename")).isEqualTo("requests.jsonl");
    assertThat(file.getString("purpose")).isEqualTo("batch");
    assertThat(json(send("GET", "/files/" + fileId, null)).getString("filename"))
        .isEqualTo("requests.jsonl");
    assertThat(send("GET", "/files/" + fileId + "/content", null).body()).isEqualTo(jsonl);

    JsonObject batch =
        json(
            send(
                "POST",
                "/batches",
                "{\"input_file_id\":\""
                    + fileId
                    + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\","
                    + "\"metadata\":{\"job\":\"nightly\"}}"));
    String batchId = batch.getString("id");
    assertThat(batchId).startsWith("batch_");
    assertThat(batch.getString("object")).isEqualTo("batch");
    assertThat(batch.getString("status")).isEqualTo("validating");
    assertThat(batch.isNull("output_file_id")).isTrue();
    assertThat(batch.getJsonObject("metadata").getString("job")).isEqualTo("nightly");

    JsonObject inProgress = json(send("GET", "/batches/" + batchId, null));
    assertThat(inProgress.getString("status")).isEqualTo("in_progress");
    assertThat(inProgress.getJsonObject("request_counts").getInt("total")).isEqualTo(3);

    JsonObject completed = json(send("GET", "/batches/" + batchId, null));
    assertThat(completed.getString("status")).isEqualTo("completed");
    JsonObject counts = completed.getJsonObject("request_counts");
    assertThat(counts.getInt("total")).isEqualTo(3);
    assertThat(counts.getInt("completed")).isEqualTo(2);
    assertThat(counts.getInt("failed")).isEqualTo(1);
    assertThat(completed.getJsonNumber("completed_at").longValue()).isPositive();

    String output =
        send("GET", "/files/" + completed.getString("output_file_id") + "/content", null).body();
    List<JsonObject> lines =
        output.lines().map(MockOpenAiServerTest::parse).collect(Collectors.toList());
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).getString("custom_id")).isEqualTo("req-1");
    assertThat(lines.get(0).getString("id")).startsWith("batch_req_");
    assertThat(lines.get(0).isNull("error")).isTrue();
    JsonObject response = lines.get(0).getJsonObject("response");
    assertThat(response.getInt("status_code")).isEqualTo(200);
    assertThat(response.getString("request_id")).startsWith("req_");
    assertThat(content(response.getJsonObject("body"))).isEqualTo("Mock answer to: First");
    assertThat(content(lines.get(1).getJsonObject("response").getJsonObject("body")))
        .isEqualTo("Mock answer to: Second");

    JsonObject errorLine =
        parse(
            send("GET", "/files/" + completed.getString("error_file_id") + "/content", null)
                .body()
                .trim());
    assertThat(errorLine.getString("custom_id")).isEqualTo("req-3");
    assertThat(errorLine.getJsonObject("response").getInt("status_code")).isEqualTo(400);
    assertThat(
            errorLine
                .getJsonObject("response")
                .getJsonObject("body")
                .getJsonObject("error")
                .getString("param"))
        .isEqualTo("model");
    assertThat(
            json(send("GET", "/files/" + completed.getString("output_file_id"), null))
                .getString("purpose"))
        .isEqualTo("batch_output");

    // a second batch is cancelled; the list holds both, newest first
    String other =
        json(send(
                "POST",
                "/batches",
                "{\"input_file_id\":\""
                    + fileId
                    + "\",\"endpoint\":\"/v1/chat/completions\","
                    + "\"completion_window\":\"24h\"}"))
            .getString("id");
    assertThat(json(send("POST", "/batches/" + other + "/cancel", "")).getString("status"))
        .isEqualTo("cancelling");
    assertThat(json(send("GET", "/batches/" + other, null)).getString("status"))
        .isEqualTo("cancelled");
    assertThat(send("POST", "/batches/" + batchId + "/cancel", "").statusCode()).isEqualTo(400);
    JsonObject list = json(send("GET", "/batches", null));
    assertThat(list.getString("object")).isEqualTo("list");
    assertThat(list.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(other);
    assertThat(list.getJsonArray("data").getJsonObject(1).getString("id")).isEqualTo(batchId);
    assertThat(list.getBoolean("has_more")).isFalse();
  }

  @Test
  void batchOfEmbeddingsAndInvalidInputFiles() throws Exception {
    String embeddings =
        "{\"custom_id\":\"e1\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
            + "\"body\":{\"model\":\"text-embedding-3-small\",\"input\":\"hi\",\"dimensions\":8}}";
    String fileId = upload("emb.jsonl", "batch", embeddings + "\n").getString("id");
    String batchId =
        json(send(
                "POST",
                "/batches",
                "{\"input_file_id\":\""
                    + fileId
                    + "\",\"endpoint\":\"/v1/embeddings\",\"completion_window\":\"24h\"}"))
            .getString("id");
    send("GET", "/batches/" + batchId, null);
    JsonObject done = json(send("GET", "/batches/" + batchId, null));
    assertThat(done.getString("status")).isEqualTo("completed");
    JsonObject line =
        parse(send("GET", "/files/" + done.getString("output_file_id") + "/content", null).body());
    assertThat(
            line.getJsonObject("response")
                .getJsonObject("body")
                .getJsonArray("data")
                .getJsonObject(0)
                .getJsonArray("embedding"))
        .hasSize(8);

    // a line for another endpoint fails validation
    String mismatchedId = upload("bad.jsonl", "batch", embeddings + "\n").getString("id");
    String failedBatch =
        json(send(
                "POST",
                "/batches",
                "{\"input_file_id\":\""
                    + mismatchedId
                    + "\",\"endpoint\":\"/v1/chat/completions\","
                    + "\"completion_window\":\"24h\"}"))
            .getString("id");
    JsonObject failed = json(send("GET", "/batches/" + failedBatch, null));
    assertThat(failed.getString("status")).isEqualTo("failed");
    JsonObject error = failed.getJsonObject("errors").getJsonArray("data").getJsonObject(0);
    assertThat(error.getInt("line")).isEqualTo(1);
    assertThat(error.getString("param")).isEqualTo("url");

    HttpResponse<String> unknownFile =
        send(
            "POST",
            "/batches",
            "{\"input_file_id\":\"file-nope\",\"endpoint\":\"/v1/embeddings\","
                + "\"completion_window\":\"24h\"}");
    assertThat(unknownFile.statusCode()).isEqualTo(400);
    assertThat(json(unknownFile).getJsonObject("error").getString("param"))
        .isEqualTo("input_file_id");
  }

  // ---- errors --------------------------------------------------------------------------------

  @Test
  void requestsWithoutBearerTokenAre401() throws Exception {
    HttpRequest noAuth = HttpRequest.newBuilder(URI.create(base + "/models")).GET().build();
    HttpResponse<String> response = http.send(noAuth, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    JsonObject error = json(response).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("code")).isEqualTo("invalid_api_key");
    assertThat(error.isNull("param")).isTrue();
    assertThat(error.getString("message")).isNotBlank();

    HttpRequest basic =
        HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
            .header("Authorization", "Basic dXNlcjpwYXNz")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    assertThat(http.send(basic, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  @Test
  void invalidRequestsAre400WithTheParam() throws Exception {
    HttpResponse<String> noModel =
        send("POST", "/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(noModel.statusCode()).isEqualTo(400);
    JsonObject error = json(noModel).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("param")).isEqualTo("model");
    assertThat(error.containsKey("code")).isTrue();

    assertThat(param(send("POST", "/chat/completions", "{\"model\":\"gpt-4o\"}")))
        .isEqualTo("messages");
    assertThat(param(send("POST", "/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}")))
        .isEqualTo("messages");
    assertThat(param(send("POST", "/responses", "{\"input\":\"x\"}"))).isEqualTo("model");
    assertThat(param(send("POST", "/embeddings", "{\"input\":\"x\"}"))).isEqualTo("model");

    HttpResponse<String> malformed = send("POST", "/chat/completions", "{\"model\": \"gpt-4o\",");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).getJsonObject("error").getString("type"))
        .isEqualTo("invalid_request_error");
  }

  @Test
  void unknownPathsAre404ErrorObjects() throws Exception {
    HttpResponse<String> response = send("GET", "/does/not/exist", null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    JsonObject error = json(response).getJsonObject("error");
    assertThat(error.getString("message")).contains("/v1/does/not/exist");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(send("GET", "/chat/completions", null).statusCode()).isEqualTo(404);
  }

  // ---- fault stubs on top of the defaults ------------------------------------------------------

  @Test
  void faultStubsLayerOnTopAndInstallDefaultsRestoresNormalBehaviour() throws Exception {
    String chat =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Are you there?\"}]}";
    server.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("Retry-After", "1")
                    .withBody(
                        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                            + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));
    server.stubFor(
        post(urlPathEqualTo("/v1/embeddings"))
            .atPriority(1)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    server.stubFor(
        get(urlPathEqualTo("/v1/models"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(200).withBody("{not json")));

    HttpResponse<String> limited = send("POST", "/chat/completions", chat);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(limited).getJsonObject("error").getString("code"))
        .isEqualTo("rate_limit_exceeded");
    assertThatThrownBy(
            () ->
                send(
                    "POST",
                    "/embeddings",
                    "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}"))
        .isInstanceOf(IOException.class);
    assertThat(send("GET", "/models", null).body()).isEqualTo("{not json");
    // endpoints without a fault keep their default behaviour
    assertThat(
            json(send("POST", "/responses", "{\"model\":\"gpt-4o\",\"input\":\"ok\"}"))
                .getString("status"))
        .isEqualTo("completed");

    MockOpenAiServer.installDefaults(server);

    assertThat(content(json(send("POST", "/chat/completions", chat))))
        .isEqualTo("Mock answer to: Are you there?");
    assertThat(
            send("POST", "/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(json(send("GET", "/models", null)).getString("object")).isEqualTo("list");
    assertThat(server.getStubMappings()).hasSize(MockOpenAiServer.defaultStubs().size());
  }

  @Test
  void aHigherPriorityStubCanDelayTheRealAnswer() throws Exception {
    server.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .atPriority(1)
            .willReturn(
                aResponse().withTransformers(OpenAiMockTransformer.NAME).withFixedDelay(400)));
    long start = System.nanoTime();
    JsonObject body =
        json(
            send(
                "POST",
                "/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Slow\"}]}"));
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(350);
    assertThat(content(body)).isEqualTo("Mock answer to: Slow");
  }

  @Test
  void resetToDefaultsForgetsStateAndWireMockResetKeepsTheDefaults() throws Exception {
    String id =
        json(send("POST", "/responses", "{\"model\":\"gpt-4o\",\"input\":\"remember\"}"))
            .getString("id");
    server.stubFor(
        post(urlPathEqualTo("/v1/responses"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(500)));

    MockOpenAiServer.resetToDefaults(server);

    assertThat(send("GET", "/responses/" + id, null).statusCode()).isEqualTo(404);
    assertThat(send("POST", "/responses", "{\"model\":\"gpt-4o\",\"input\":\"x\"}").statusCode())
        .isEqualTo(200);
    List<StubMapping> stubs = server.getStubMappings();
    assertThat(stubs).hasSize(MockOpenAiServer.defaultStubs().size());
    assertThat(stubs)
        .allSatisfy(
            s -> {
              assertThat(s.getPriority())
                  .isIn(MockOpenAiServer.DEFAULT_PRIORITY, MockOpenAiServer.FALLBACK_PRIORITY);
              assertThat(s.getMetadata().getString(MockOpenAiServer.METADATA_KEY))
                  .isEqualTo("default");
            });

    // WireMock's own reset also brings the defaults back
    server.resetAll();
    assertThat(json(send("GET", "/models", null)).getJsonArray("data")).hasSize(10);
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  private static final String WEATHER_TOOL =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
          + "\"parameters\":{\"type\":\"object\",\"required\":[\"location\",\"unit\"],"
          + "\"properties\":{\"location\":{\"type\":\"string\"},"
          + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]},"
          + "\"days\":{\"type\":\"integer\"}}}}}";

  private static final String TIME_TOOL =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":{"
          + "\"type\":\"object\",\"required\":[\"tz\",\"count\",\"ratio\",\"verbose\",\"tags\","
          + "\"options\"],\"properties\":{\"tz\":{\"type\":\"string\"},"
          + "\"count\":{\"type\":\"integer\"},\"ratio\":{\"type\":\"number\"},"
          + "\"verbose\":{\"type\":\"boolean\"},\"tags\":{\"type\":\"array\","
          + "\"items\":{\"type\":\"string\"}},\"options\":{\"type\":\"object\"}}}}}";

  private static HttpResponse<String> send(
      String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer sk-test")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject upload(String filename, String purpose, String content)
      throws IOException, InterruptedException {
    String boundary = "mockboundary" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + purpose
                + "\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\nContent-Type: application/jsonl\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/files"))
            .header("Authorization", "Bearer sk-test")
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static JsonObject json(HttpResponse<String> response) {
    return parse(response.body());
  }

  private static JsonObject parse(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static String param(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(400);
    return json(response).getJsonObject("error").getString("param");
  }

  private static JsonObject message(JsonObject completion) {
    return completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
  }

  private static String content(JsonObject completion) {
    return message(completion).getString("content");
  }

  private static String outputText(JsonObject response) {
    StringBuilder sb = new StringBuilder();
    for (JsonValue item : response.getJsonArray("output")) {
      if ("message".equals(item.asJsonObject().getString("type"))) {
        for (JsonValue part : item.asJsonObject().getJsonArray("content")) {
          sb.append(part.asJsonObject().getString("text"));
        }
      }
    }
    return sb.toString();
  }

  /** The {@code data:} payloads of an SSE body. */
  private static List<String> sseData(String body) {
    List<String> data = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      for (String line : event.split("\n")) {
        if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
    }
    return data;
  }

  /** {@code [event, data]} pairs of an SSE body with typed events. */
  private static List<String[]> sseEvents(String body) {
    List<String[]> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String event = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        events.add(new String[] {event, data});
      }
    }
    return events;
  }

  private static double[] vector(JsonObject embedding) {
    JsonArray values = embedding.getJsonArray("embedding");
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.getJsonNumber(i).doubleValue();
    }
    return out;
  }

  private static double norm(double[] vector) {
    double sum = 0;
    for (double v : vector) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }
}
