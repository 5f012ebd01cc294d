package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.StreamEvent;
import dev.warden.call.CallFinished;
import dev.warden.call.Outcome;
import dev.warden.openai.OpenAiTransport;
import dev.warden.openai.error.ConnectionException;
import dev.warden.openai.error.UpstreamTimeoutException;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.StreamOptions;
import dev.warden.openai.model.Tool;
import dev.warden.openai.stream.StreamResult;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Streaming inside Liberty: the injected {@code Flow.Publisher} API, the failure rules before and
 * after the first event, timeouts, and cancellation (also of a {@code /v1} caller that leaves).
 */
class StreamingIT extends WardenIntegrationTest {

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject OpenAiTransport transport;

  /** Collects everything a subscriber sees; optionally cancels after the first text delta. */
  static final class Collector implements Flow.Subscriber<StreamEvent> {
    final List<StreamEvent> events = new ArrayList<>();
    final CompletableFuture<Throwable> done = new CompletableFuture<>();
    final boolean cancelAfterFirstText;
    Flow.Subscription subscription;
    volatile String thread;

    Collector(boolean cancelAfterFirstText) {
      this.cancelAfterFirstText = cancelAfterFirstText;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public synchronized void onNext(StreamEvent event) {
      thread = Thread.currentThread().toString();
      events.add(event);
      if (cancelAfterFirstText && event instanceof StreamEvent.TextDelta) {
        subscription.cancel();
        done.complete(null);
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      done.complete(t);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }

    /**
     * On Java 21 and later a {@link Flow.Publisher} stream is relayed on a virtual thread of its
     * own (warden-flow-N), else on a thread of the managed executor.
     */
    void assertRelayedOnAVirtualThreadFromJava21() {
      if (Runtime.version().feature() >= 21) {
        assertTrue(thread.contains("VirtualThread") && thread.contains("warden-flow-"), thread);
      } else {
        assertTrue(!thread.contains("VirtualThread"), thread);
      }
    }

    Throwable await() throws Exception {
      return done.get(30, TimeUnit.SECONDS);
    }

    synchronized String text() {
      StringBuilder text = new StringBuilder();
      events.stream()
          .filter(e -> e instanceof StreamEvent.TextDelta)
          .forEach(e -> text.append(((StreamEvent.TextDelta) e).text()));
      return text.toString();
    }

    synchronized StreamEvent last() {
      return events.get(events.size() - 1);
    }
  }

  private Collector stream(ChatCompletionRequest request, boolean cancel) {
    Collector c = new Collector(cancel);
    openAi.streamChat(request).subscribe(c);
    return c;
  }

  @Test
  void aChatStreamDeliversTextAsItComesThenTheFullResult() throws Exception {
    Collector c = stream(ask("gpt-4o-mini", "Stream me a long enough answer please"), false);

    assertEquals(null, c.await());
    long deltas = c.events.stream().filter(e -> e instanceof StreamEvent.TextDelta).count();
    assertTrue(deltas > 3, "text arrived in pieces: " + deltas);
    StreamEvent.Completed done = assertInstanceOf(StreamEvent.Completed.class, c.last());
    StreamResult result = done.result();
    assertEquals(c.text(), result.text());
    assertTrue(result.text().startsWith("Mock answer to: Stream me"));
    assertEquals("stop", result.finishReason());
    assertTrue(
        result.usage().input() > 0 && result.usage().output() > 0, "usage: " + result.usage());
    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertEquals(Outcome.SUCCEEDED, call.outcome());
    assertTrue(call.streamed());
    assertEquals(result.usage(), call.usage());
    assertTrue(call.timeToFirstEvent() != null);
    assertEquals(0, transport.connectionsInUse());
    c.assertRelayedOnAVirtualThreadFromJava21();
  }

  @Test
  void toolCallsAreHandedOverOnlyComplete() throws Exception {
    ChatCompletionRequest request =
        ChatCompletionRequest.builder()
            .model("gpt-4o")
            .messages(List.of(ChatMessage.user("Weather in Oslo and Bergen?")))
            .tools(
                List.of(
                    Tool.function(
                        "get_weather",
                        "Current weather",
                        Json.createObjectBuilder()
                            .add("type", "object")
                            .add(
                                "properties",
                                Json.createObjectBuilder()
                                    .add("city", Json.createObjectBuilder().add("type", "string"))
                                    .add("unit", Json.createObjectBuilder().add("type", "string")))
                            .add("required", Json.createArrayBuilder().add("city").add("unit"))
                            .add("additionalProperties", false)
                            .build(),
                        true)))
            .build();
    Collector c = stream(request, false);

    assertEquals(null, c.await());
    List<StreamEvent.ToolCallReady> calls = new ArrayList<>();
    c.events.forEach(
        e -> {
          if (e instanceof StreamEvent.ToolCallReady) {
            calls.add((StreamEvent.ToolCallReady) e);
          }
        });
    assertEquals(1, calls.size());
    String arguments = calls.get(0).toolCall().function().arguments();
    // complete JSON, though the mock streamed it in 8-character pieces
    assertEquals(
        "mock",
        Json.createReader(new java.io.StringReader(arguments)).readObject().getString("city"));
    StreamEvent.Completed done = assertInstanceOf(StreamEvent.Completed.class, c.last());
    assertEquals("tool_calls", done.result().finishReason());
  }

  @Test
  void aResponsesStreamDeliversTextAndUsage() throws Exception {
    Collector c = new Collector(false);
    openAi
        .streamResponse(
            CreateResponseRequest.builder()
                .model("gpt-4.1")
                .input(ResponseInput.of("Tell me something streamed"))
                .build())
        .subscribe(c);

    assertEquals(null, c.await());
    StreamEvent.Completed done = assertInstanceOf(StreamEvent.Completed.class, c.last());
    assertEquals(c.text(), done.result().text());
    assertTrue(done.result().text().startsWith("Mock answer to: Tell me something"));
    assertEquals("completed", done.result().finishReason());
    assertTrue(done.result().usage().input() > 0);
  }

  @Test
  void a429BeforeTheFirstEventIsRetried() throws Exception {
    mock.stubTimes(
        1,
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(429, "requests", "rate_limit_exceeded", "slow down"));

    Collector c = stream(ask("gpt-4o-mini", "retry me"), false);

    assertEquals(null, c.await());
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)));
    assertEquals(2, callLog.await(Duration.ofSeconds(5)).orElseThrow().attempts());
  }

  @Test
  void aCutAfterTheFirstEventIsAnErrorAndIsNotRetried() throws Exception {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.eventStream(
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Half an\"},"
                + "\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" answer\"},\"finish_reason\":null}]}\n\n"));

    Collector c = stream(ask("gpt-4o", "cut me"), false);

    Throwable failure = c.await();
    assertInstanceOf(ConnectionException.class, failure);
    assertEquals("Half an answer", c.text());
    assertTrue(c.events.stream().noneMatch(e -> e instanceof StreamEvent.Completed));
    assertEquals(1, mock.count(MockAdmin.request("POST", CHAT)));
    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertEquals(Outcome.FAILED, call.outcome());
    assertEquals("ConnectionException", call.errorType());
  }

  @Test
  void anUpstreamSilentPastTheIdleTimeoutEndsTheStreamWithAnError() throws Exception {
    // the IT server's idle timeout is 1 s; this stream has 3 s gaps
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "slow-stream"),
        MockAdmin.slowDefault(4, 9000));

    Collector c = stream(ask("slow-stream", "be slow"), false);

    Throwable failure = c.await();
    assertInstanceOf(UpstreamTimeoutException.class, failure);
    assertTrue(failure.getMessage().contains("idle"), failure.getMessage());
    // the subscriber hears of the failure before the call's report is fired: wait for the report,
    // so that it cannot land in the next test's call log
    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertEquals(Outcome.FAILED, call.outcome());
    assertEquals("UpstreamTimeoutException", call.errorType());
    assertEquals(1, mock.count(MockAdmin.request("POST", CHAT)));
    assertEquals(0, transport.connectionsInUse());
  }

  @Test
  void cancellingTheSubscriptionAbortsTheUpstreamRequestAtOnce() throws Exception {
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "slow-stream"),
        MockAdmin.slowDefault(40, 8000));

    Collector c = stream(ask("slow-stream", "cancel me after the first words please"), true);
    c.await();
    CallFinished call = callLog.await(Duration.ofSeconds(3)).orElseThrow();

    assertEquals(Outcome.CANCELLED, call.outcome());
    assertTrue(call.latency().compareTo(Duration.ofSeconds(4)) < 0, "ended at " + call.latency());
    assertEquals(0, transport.connectionsInUse());
  }

  @Test
  void aV1CallerThatLeavesCancelsTheUpstreamRequest() throws Exception {
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "slow-stream"),
        MockAdmin.slowDefault(40, 8000));
    String body =
        Json.createObjectBuilder()
            .add("model", "slow-stream")
            .add("stream", true)
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "user").add("content", "leave me")))
            .build()
            .toString();
    HttpResponse<InputStream> response =
        http()
            .send(
                http()
                    .request(
                        "POST",
                        CHAT,
                        TestCredentials.DEV_USER,
                        WardenHttp.JSON,
                        body.getBytes(StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    try (InputStream in = response.body()) {
      byte[] first = new byte[64];
      int n = in.read(first);
      assertTrue(new String(first, 0, n, StandardCharsets.UTF_8).startsWith("data: "));
    }

    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertEquals(Outcome.CANCELLED, call.outcome(), call.toString());
    assertTrue(call.latency().compareTo(Duration.ofSeconds(5)) < 0, "ended at " + call.latency());
    assertEquals(0, transport.connectionsInUse());
  }

  @Test
  void theCallerSeesUsageOnlyWhenItAsks() throws Exception {
    Collector quiet = stream(ask("gpt-4o-mini", "no usage please"), false);
    assertEquals(null, quiet.await());
    // the injected API always reports usage in the result, whether or not the caller asked
    StreamEvent.Completed done = assertInstanceOf(StreamEvent.Completed.class, quiet.last());
    assertTrue(done.result().usage().total() > 0);

    ChatCompletionRequest asked =
        ask("gpt-4o-mini", "usage please").withStreamOptions(StreamOptions.includingUsage());
    StreamResult result = openAi.streamChat(asked, text -> {});
    assertTrue(result.usage().total() > 0);
  }
}
