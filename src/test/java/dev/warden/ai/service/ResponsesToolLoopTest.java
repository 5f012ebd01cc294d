package dev.warden.ai.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.Answer;
import dev.warden.ai.OpenAi;
import dev.warden.ai.Sleeper;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.call.FallbackKind;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import jakarta.json.JsonString;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Responses API tool loop: function_call items answered by function_call_output items. */
class ResponsesToolLoopTest {

  /** Tools whose calls are counted. */
  public static class Weather {
    static final AtomicInteger CALLS = new AtomicInteger();
    static final long TIMEOUT_MILLIS = 2_000;

    @Tool(description = "The temperature of a city", timeoutMillis = TIMEOUT_MILLIS)
    public String temperature(@Var("city") String city) {
      CALLS.incrementAndGet();
      return city + ": 21C";
    }
  }

  /** Answers scripted in order; every request is kept. */
  static final class ScriptedOpenAi extends OpenAi {
    final Deque<String> answers = new ArrayDeque<>();
    final List<CreateResponseRequest> requests = new ArrayList<>();

    @Override
    public Answer<ModelResponse> respond(CreateResponseRequest request) {
      requests.add(request);
      ModelResponse body = SharedJsonb.JSONB.fromJson(answers.removeFirst(), ModelResponse.class);
      return new Answer<>(
          body,
          "req",
          "m",
          "m",
          null,
          FallbackKind.NONE,
          1,
          List.of(),
          null,
          Duration.ZERO,
          "openai");
    }
  }

  private static final String TWO_CALLS =
      """
      {"id":"resp_1","object":"response","status":"completed","model":"m","output":[
        {"type":"reasoning","id":"rs_1","summary":[]},
        {"type":"function_call","id":"fc_1","call_id":"call_a","name":"temperature",
         "arguments":"{\\"city\\":\\"Oslo\\"}","status":"completed"},
        {"type":"function_call","id":"fc_2","call_id":"call_b","name":"temperature",
         "arguments":"{\\"city\\":\\"Rome\\"}","status":"completed"}]}
      """;

  private static final String FINAL =
      """
      {"id":"resp_2","object":"response","status":"completed","model":"m","output":[
        {"type":"message","id":"msg_1","role":"assistant","status":"completed",
         "content":[{"type":"output_text","text":"Oslo 21C, Rome 21C","annotations":[]}]}]}
      """;

  /**
   * Claims and first results kept in memory, as the table keeps them: across tool loops (servers,
   * restarts).
   */
  static final class SetStore extends ToolCallStore {
    final java.util.Set<String> claims = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final Map<String, String> results = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public boolean claim(Caller caller, String callId, String toolName) {
      return claims.add(idOf(caller, callId));
    }

    @Override
    public void recordResult(Caller caller, String callId, String result) {
      results.putIfAbsent(idOf(caller, callId), result);
    }

    @Override
    public FirstRun firstRun(Caller caller, String callId) {
      String result = results.get(idOf(caller, callId));
      return result == null
          ? new FirstRun(FirstRun.Status.PENDING, null)
          : new FirstRun(FirstRun.Status.DONE, result);
    }
  }

  /** Records the pauses instead of sleeping; runs a hook at each. */
  static final class Pauses implements Sleeper {
    final List<Duration> pauses = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile Runnable atEachPause = () -> {};

    @Override
    public void sleep(Duration duration) {
      pauses.add(duration);
      atEachPause.run();
    }
  }

  private final Pauses pauses = new Pauses();

  private final SetStore store = new SetStore();
  private ExecutorService executor;
  private ScriptedOpenAi openAi;
  private ToolLoop loop;
  private List<ToolMethod> tools;

  @BeforeEach
  void setUp() {
    executor = Executors.newFixedThreadPool(4);
    openAi = new ScriptedOpenAi();
    loop = new ToolLoop();
    loop.openAi = openAi;
    loop.callers = new Callers();
    loop.executor = executor;
    loop.beans = c -> new Weather();
    loop.store = store;
    loop.sleeper = pauses;
    tools = ToolMethod.of(Weather.class);
    Weather.CALLS.set(0);
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
  }

  private CreateResponseRequest first() {
    return CreateResponseRequest.builder()
        .model("m")
        .input(ResponseInput.of(ResponseItem.message("user", "Weather in Oslo and Rome?")))
        .build();
  }

  @Test
  void parallelCallsAreAnsweredWithOutputsOfTheSameCallIds() {
    openAi.answers.add(TWO_CALLS);
    openAi.answers.add(FINAL);

    ModelResponse answer =
        Caller.runAs(Caller.of("alice"), () -> loop.runResponses(first(), tools, 5));

    assertEquals("Oslo 21C, Rome 21C", answer.outputText());
    assertEquals(2, Weather.CALLS.get());
    assertEquals(2, openAi.requests.size());
    List<ResponseItem> input = openAi.requests.get(1).input().items();
    assertEquals(
        List.of(
            "message",
            "reasoning",
            "function_call",
            "function_call",
            "function_call_output",
            "function_call_output"),
        input.stream().map(i -> i.type() == null ? "message" : i.type()).toList());
    assertEquals("call_a", input.get(2).callId());
    assertEquals("call_a", input.get(4).callId());
    assertEquals("call_b", input.get(5).callId());
    String oslo = ((JsonString) input.get(4).output()).getString();
    String rome = ((JsonString) input.get(5).output()).getString();
    assertTrue(oslo.contains("Oslo: 21C"), oslo);
    assertTrue(rome.contains("Rome: 21C"), rome);
  }

  @Test
  void aCallIdRunsOncePerCallerAndAnotherCallersSameIdRunsAgain() {
    for (int i = 0; i < 3; i++) {
      openAi.answers.add(TWO_CALLS);
      openAi.answers.add(FINAL);
    }
    Caller.runAs(Caller.of("alice"), () -> loop.runResponses(first(), tools, 5));
    assertEquals(2, Weather.CALLS.get());

    Caller.runAs(Caller.of("alice"), () -> loop.runResponses(first(), tools, 5));
    assertEquals(2, Weather.CALLS.get(), "alice's call_a and call_b already ran");
    String replayed =
        ((JsonString) openAi.requests.get(3).input().items().get(4).output()).getString();
    assertTrue(replayed.contains("Oslo: 21C"), replayed);

    Caller.runAs(Caller.of("bob"), () -> loop.runResponses(first(), tools, 5));
    assertEquals(4, Weather.CALLS.get(), "bob's call_a and call_b are his own");
  }

  private ToolLoop restarted() {
    ToolLoop restarted = new ToolLoop();
    restarted.openAi = openAi;
    restarted.callers = new Callers();
    restarted.executor = executor;
    restarted.beans = c -> new Weather();
    restarted.store = store;
    restarted.sleeper = pauses;
    return restarted;
  }

  private String secondRoundOutput(int request, int item) {
    return ((JsonString) openAi.requests.get(request).input().items().get(item).output())
        .getString();
  }

  @Test
  void aDuplicateOnAnotherServerOrAfterARestartGetsTheStoredFirstResult() {
    openAi.answers.add(TWO_CALLS);
    openAi.answers.add(FINAL);
    Caller.runAs(Caller.of("alice"), () -> loop.runResponses(first(), tools, 5));
    assertEquals(2, Weather.CALLS.get());
    assertEquals(0, loop.running(), "finished calls leave the server's memory");

    openAi.answers.add(TWO_CALLS);
    openAi.answers.add(FINAL);
    Caller.runAs(Caller.of("alice"), () -> restarted().runResponses(first(), tools, 5));

    assertEquals(2, Weather.CALLS.get(), "claimed before the restart: not run again");
    assertEquals(secondRoundOutput(1, 4), secondRoundOutput(3, 4));
    assertTrue(secondRoundOutput(3, 4).contains("Oslo: 21C"), secondRoundOutput(3, 4));
    assertTrue(secondRoundOutput(3, 5).contains("Rome: 21C"), secondRoundOutput(3, 5));
    assertTrue(pauses.pauses.isEmpty(), "a stored result is read at once");
  }

  @Test
  void aDuplicateWaitsForAFirstRunStillGoingOnElsewhere() {
    Caller alice = Caller.of("alice");
    store.claim(alice, "call_a", "temperature");
    store.claim(alice, "call_b", "temperature");
    pauses.atEachPause =
        () -> {
          if (pauses.pauses.size() == 3) {
            store.recordResult(alice, "call_a", "Oslo: 19C (from the other server)");
            store.recordResult(alice, "call_b", "Rome: 25C (from the other server)");
          }
        };
    openAi.answers.add(TWO_CALLS);
    openAi.answers.add(FINAL);

    Caller.runAs(alice, () -> loop.runResponses(first(), tools, 5));

    assertEquals(0, Weather.CALLS.get());
    assertTrue(secondRoundOutput(1, 4).contains("Oslo: 19C (from the other server)"));
    assertTrue(secondRoundOutput(1, 5).contains("Rome: 25C (from the other server)"));
    List<Duration> distinct = pauses.pauses.stream().distinct().sorted().toList();
    assertEquals(Duration.ofMillis(ToolLoop.FIRST_PAUSE_MILLIS), distinct.get(0));
    assertTrue(distinct.size() >= 2, "pauses grow: " + pauses.pauses);
  }

  @Test
  void aDuplicateWhoseFirstRunStoredNoResultIsNotRunAgain() {
    Caller alice = Caller.of("alice");
    store.claim(alice, "call_a", "temperature");
    store.claim(alice, "call_b", "temperature");
    openAi.answers.add(TWO_CALLS);
    openAi.answers.add(FINAL);

    Caller.runAs(alice, () -> loop.runResponses(first(), tools, 5));

    assertEquals(0, Weather.CALLS.get());
    String out = secondRoundOutput(1, 4);
    assertTrue(out.contains("stored no result; not run again"), out);
    // the two duplicates pause alike: half of all pauses is what each waited
    long waited = pauses.pauses.stream().mapToLong(Duration::toMillis).sum() / 2;
    assertTrue(waited <= Weather.TIMEOUT_MILLIS, "waits at most the tool's timeout: " + waited);
    assertTrue(waited > 0);
  }

  @Test
  void theClaimIsKeyedByTenantPrincipalAndIdAndHidesThem() {
    String alice = ToolCallStore.idOf(new Caller("alice", "t1", null), "call_a");
    assertEquals(64, alice.length());
    assertTrue(!alice.contains("alice") && !alice.contains("call_a"));
    assertTrue(!alice.equals(ToolCallStore.idOf(new Caller("alice", "t2", null), "call_a")));
    assertTrue(!alice.equals(ToolCallStore.idOf(new Caller("bob", "t1", null), "call_a")));
    assertEquals(alice, ToolCallStore.idOf(new Caller("alice", "t1", null), "call_a"));
  }

  @Test
  void aClaimThatCannotBeStoredRunsNothing() {
    loop.store =
        new ToolCallStore() {
          @Override
          public boolean claim(Caller caller, String callId, String toolName) {
            throw new IllegalStateException("database down");
          }
        };
    openAi.answers.add(TWO_CALLS);
    openAi.answers.add(FINAL);
    Caller.runAs(Caller.of("alice"), () -> loop.runResponses(first(), tools, 5));
    assertEquals(0, Weather.CALLS.get());
    String out = ((JsonString) openAi.requests.get(1).input().items().get(4).output()).getString();
    assertTrue(out.contains("could not be recorded"), out);
  }

  @Test
  void tooManyRoundsFail() {
    openAi.answers.add(TWO_CALLS);
    openAi.answers.add(TWO_CALLS);
    assertThrows(
        ToolLoopException.class,
        () -> Caller.runAs(Caller.of("alice"), () -> loop.runResponses(first(), tools, 1)));
  }

  @Test
  void anUnknownToolIsAnsweredWithAnErrorWithoutRunningAnything() {
    openAi.answers.add(TWO_CALLS.replace("\"temperature\"", "\"nosuch\""));
    openAi.answers.add(FINAL);
    Caller.runAs(Caller.of("alice"), () -> loop.runResponses(first(), tools, 5));
    assertEquals(0, Weather.CALLS.get());
    String out = ((JsonString) openAi.requests.get(1).input().items().get(4).output()).getString();
    assertTrue(out.contains("no such tool: nosuch"), out);
  }
}
