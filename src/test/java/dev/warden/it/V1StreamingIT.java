package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** {@code stream: true} over HTTP, read line by line as an SSE client would. */
class V1StreamingIT extends WardenIntegrationTest {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  record Event(String name, String data) {
    JsonObject json() {
      return Json.createReader(new StringReader(data)).readObject();
    }
  }

  private HttpResponse<java.util.stream.Stream<String>> post(String path, JsonObject body)
      throws Exception {
    return http().postForEvents(path, TestCredentials.DEV_USER, body);
  }

  /** Parses SSE lines into events (comments skipped). */
  private static List<Event> events(HttpResponse<java.util.stream.Stream<String>> response) {
    List<Event> events = new ArrayList<>();
    String[] name = {null};
    StringBuilder data = new StringBuilder();
    response
        .body()
        .forEach(
            line -> {
              if (line.isEmpty()) {
                if (data.length() > 0) {
                  events.add(new Event(name[0], data.toString()));
                }
                name[0] = null;
                data.setLength(0);
              } else if (line.startsWith("data: ")) {
                data.append(data.length() > 0 ? "\n" : "").append(line.substring(6));
              } else if (line.startsWith("event: ")) {
                name[0] = line.substring(7);
              }
            });
    return events;
  }

  private static JsonObjectBuilder chat(String model, String text) {
    return Json.createObjectBuilder()
        .add("model", model)
        .add("stream", true)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", text)));
  }

  @Test
  void chatChunksArriveInTheOpenAiWireFormatEndingWithDone() throws Exception {
    HttpResponse<java.util.stream.Stream<String>> response =
        post("v1/chat/completions", chat("gpt-4o-mini", "Hello stream").build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    assertThat(response.headers().firstValue("x-warden-model")).contains("gpt-4o-mini");
    List<Event> events = events(response);
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    for (Event e : events.subList(0, events.size() - 1)) {
      JsonObject chunk = e.json();
      assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
      // the caller did not ask for usage: no usage chunk, no usage key
      assertThat(chunk.containsKey("usage")).as(e.data()).isFalse();
      assertThat(chunk.getJsonArray("choices")).isNotEmpty();
      JsonObject delta = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      if (delta.containsKey("content") && !delta.isNull("content")) {
        text.append(delta.getString("content"));
      }
    }
    assertThat(text.toString()).isEqualTo("Mock answer to: Hello stream");
    assertThat(events.size()).isGreaterThan(4);
    // Warden asked the upstream for usage on the caller's behalf
    JsonObject sent =
        Json.createReader(
                new StringReader(
                    mock.find(MockAdmin.request("POST", CHAT)).get(0).getString("body")))
            .readObject();
    assertThat(sent.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }

  @Test
  void theUsageChunkIsRelayedWhenTheCallerAsks() throws Exception {
    List<Event> events =
        events(
            post(
                "v1/chat/completions",
                chat("gpt-4o-mini", "usage please")
                    .add("stream_options", Json.createObjectBuilder().add("include_usage", true))
                    .build()));

    JsonObject last = events.get(events.size() - 2).json();
    assertThat(last.getJsonArray("choices")).isEmpty();
    assertThat(last.getJsonObject("usage").getInt("total_tokens")).isPositive();
  }

  @Test
  void responsesEventsAreTypedAndEndWithResponseCompleted() throws Exception {
    List<Event> events =
        events(
            post(
                "v1/responses",
                Json.createObjectBuilder()
                    .add("model", "gpt-4.1")
                    .add("stream", true)
                    .add("input", "Stream a response")
                    .build()));

    assertThat(events.get(0).name()).isEqualTo("response.created");
    assertThat(events).extracting(Event::name).contains("response.output_text.delta");
    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("response.completed");
    assertThat(last.json().getJsonObject("response").getJsonObject("usage").getInt("total_tokens"))
        .isPositive();
    assertThat(events).noneMatch(e -> "[DONE]".equals(e.data()));
  }

  @Test
  void anUpstreamCutReachesTheCallerAsAnErrorEventNeverAsDone() throws Exception {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.eventStream(
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half\"},\"finish_reason\":null}]}\n\n"));

    HttpResponse<java.util.stream.Stream<String>> response =
        post("v1/chat/completions", chat("gpt-4o", "cut").build());

    assertThat(response.statusCode()).isEqualTo(200);
    List<Event> events = events(response);
    assertThat(events).hasSize(2);
    JsonObject error = events.get(1).json().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("upstream_stream_interrupted");
    assertThat(events).noneMatch(e -> "[DONE]".equals(e.data()));
    assertThat(mock.count(MockAdmin.request("POST", CHAT))).isEqualTo(1);
  }

  @Test
  void anErrorEventInsideTheStreamIsRelayedAsAnError() throws Exception {
    mock.stub(
        MockAdmin.request("POST", "/v1/responses"),
        MockAdmin.eventStream(
            "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"
                + "\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\",\"model\":\"gpt-4.1\"}}\n\n"
                + "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"The model failed\",\"param\":null,\"sequence_number\":1}\n\n"));

    List<Event> events =
        events(
            post(
                "v1/responses",
                Json.createObjectBuilder()
                    .add("model", "gpt-4.1")
                    .add("stream", true)
                    .add("input", "x")
                    .build()));

    assertThat(events).extracting(Event::name).containsExactly("response.created", "error");
    assertThat(events.get(1).json().getString("message")).contains("The model failed");
    assertThat(events.get(1).json().getString("type")).isEqualTo("error");
  }

  /**
   * An upstream that paces its events, as real token streams do, holds its second event until this
   * caller has read the first through Warden: the first event must be relayed the moment it has
   * arrived. Warden writes a keep-alive comment only after a second of silence towards the caller;
   * a first event left waiting for a later flush would arrive with that comment behind it.
   */
  @Test
  void theFirstEventReachesTheCallerWhileTheUpstreamHoldsTheNext() throws Exception {
    CountDownLatch firstRead = new CountDownLatch(1);
    try (PacedUpstream upstream = PacedUpstream.start(firstRead, Duration.ofSeconds(20))) {
      HttpResponse<java.util.stream.Stream<String>> response =
          post("v1/chat/completions", chat(PacedUpstream.MODEL, "pace me").build());
      assertThat(response.statusCode()).isEqualTo(200);
      Iterator<String> lines = response.body().iterator();

      String first = nextLine(lines);
      firstRead.countDown();
      String second = nextLine(lines);

      assertThat(first).startsWith("data: ").contains("\"role\":\"assistant\"");
      assertThat(second).as("the line after the first event").contains("\"content\":\"Hello\"");
      List<String> rest = new ArrayList<>();
      lines.forEachRemaining(
          line -> {
            if (!line.isEmpty() && !line.startsWith(":")) {
              rest.add(line);
            }
          });
      assertThat(rest).last().isEqualTo("data: [DONE]");
      assertThat(upstream.streams()).isEqualTo(1);
    }
  }

  /** The next line that is not the blank line ending an event. */
  private static String nextLine(Iterator<String> lines) {
    while (lines.hasNext()) {
      String line = lines.next();
      if (!line.isEmpty()) {
        return line;
      }
    }
    throw new AssertionError("the stream ended");
  }

  @Test
  void failuresBeforeTheFirstEventAreOrdinaryHttpErrors() throws Exception {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(400, "invalid_request_error", null, "Invalid 'messages'"));

    HttpResponse<java.util.stream.Stream<String>> response =
        post("v1/chat/completions", chat("gpt-4o", "bad").build());

    assertThat(response.statusCode()).isEqualTo(400);
    String body = String.join("\n", response.body().toList());
    assertThat(
            Json.createReader(new StringReader(body))
                .readObject()
                .getJsonObject("error")
                .getString("message"))
        .isEqualTo("Invalid 'messages'");
  }
}
