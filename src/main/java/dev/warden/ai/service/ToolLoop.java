package dev.warden.ai.service;

import dev.warden.ai.OpenAi;
import dev.warden.ai.Sleeper;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.config.Jsonp;
import dev.warden.guard.InjectionScreener;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ToolCall;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the tool loop of an {@link AiService} call: sends the conversation with the service's tools,
 * executes the tool calls the model proposes (the pipeline has already checked each against its
 * schema and the application's {@link dev.warden.guard.ToolCallValidator}s), in parallel on the
 * managed executor with each tool's timeout, appends their results delimited as untrusted content
 * (the pipeline redacts them on the way out), and asks again, for at most the service's number of
 * rounds.
 *
 * <p>Two loops: Chat Completions ({@link #run}: the assistant message's {@code tool_calls} answered
 * by {@code tool} messages) and the Responses API ({@link #runResponses}: {@code function_call}
 * output items answered by {@code function_call_output} items with the same {@code call_id}; the
 * next request carries the whole input again, the previous output items and the outputs, so it
 * works with {@code store: false} and with zero data retention).
 *
 * <p>Every {@code call_id} runs at most once per caller (tenant and principal), while another
 * caller's call with the same id runs on its own. Before a tool runs, the call is claimed in the
 * database ({@link ToolCallStore}: a hash of caller and id, no arguments), and its result is stored
 * with the claim, sealed, once it has run. So the rule holds across servers and restarts, and a
 * duplicate anywhere gets the first result: at once when it is stored, after waiting up to the
 * tool's timeout while the first run is still going on elsewhere, or an error when that run never
 * stored a result (its server died) or the result can no longer be read. A duplicate arriving on
 * this server while the first run is still going on here waits for that run. A claim that cannot be
 * stored runs nothing.
 */
@ApplicationScoped
public class ToolLoop {

  private static final Logger LOG = Logger.getLogger(ToolLoop.class.getName());

  @Inject OpenAi openAi;
  @Inject Callers callers;
  @Inject ToolCallStore store;
  @Inject Sleeper sleeper;

  /** The first and the longest pause while a duplicate waits for the first run's result. */
  static final long FIRST_PAUSE_MILLIS = 25;

  static final long MAX_PAUSE_MILLIS = 1_000;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ExecutorService executor;

  /** How a tool's bean instance is found (CDI; tests give their own). */
  Function<Class<?>, Object> beans = c -> CDI.current().select(c).get();

  /** The calls running on this server, by caller and id; a call leaves when it has finished. */
  private final Map<String, CompletableFuture<String>> byCallId = new HashMap<>();

  /** The final answer of the conversation {@code request} starts, after its tool rounds. */
  ChatCompletion run(ChatCompletionRequest request, List<ToolMethod> tools, int maxRounds) {
    Caller caller = caller();
    List<ChatMessage> conversation = new ArrayList<>(request.messages());
    for (int round = 0; ; round++) {
      ChatCompletion answer =
          openAi.chat(request.toBuilder().messages(List.copyOf(conversation)).build()).body();
      ChatMessage message =
          answer.choices() == null || answer.choices().isEmpty()
              ? null
              : answer.choices().get(0).message();
      if (message == null || message.toolCalls() == null || message.toolCalls().isEmpty()) {
        return answer;
      }
      if (round >= maxRounds) {
        throw new ToolLoopException("the model still called tools after " + maxRounds + " rounds");
      }
      conversation.add(message);
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (ToolCall call : message.toolCalls()) {
        results.add(
            execute(caller, call.id(), call.function().name(), call.function().arguments(), tools));
      }
      for (int i = 0; i < results.size(); i++) {
        ToolCall call = message.toolCalls().get(i);
        String name = call.function().name();
        String result = await(results.get(i), timeoutOf(tools, name), call.id());
        conversation.add(
            ChatMessage.tool(call.id(), InjectionScreener.delimit(result, "tool " + name)));
      }
    }
  }

  /**
   * The final response of the Responses API conversation {@code request} starts, after its tool
   * rounds: each round sends the input so far, the previous response's output items (its {@code
   * function_call}s, and any reasoning items, as OpenAI asks) and one {@code function_call_output}
   * per call, in the calls' order.
   */
  ModelResponse runResponses(CreateResponseRequest request, List<ToolMethod> tools, int maxRounds) {
    Caller caller = caller();
    List<ResponseItem> input =
        new ArrayList<>(request.input() == null ? List.of() : request.input().asItems());
    for (int round = 0; ; round++) {
      ModelResponse answer =
          openAi
              .respond(request.toBuilder().input(ResponseInput.of(List.copyOf(input))).build())
              .body();
      List<ResponseItem> calls = answer.functionCalls();
      if (calls.isEmpty()) {
        return answer;
      }
      if (round >= maxRounds) {
        throw new ToolLoopException("the model still called tools after " + maxRounds + " rounds");
      }
      for (ResponseItem item : answer.output()) {
        if (item != null && !"message".equals(item.type())) {
          input.add(item);
        }
      }
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (ResponseItem call : calls) {
        results.add(execute(caller, call.callId(), call.name(), call.arguments(), tools));
      }
      for (int i = 0; i < results.size(); i++) {
        ResponseItem call = calls.get(i);
        String result = await(results.get(i), timeoutOf(tools, call.name()), call.callId());
        input.add(
            ResponseItem.functionCallOutput(
                call.callId(), InjectionScreener.delimit(result, "tool " + call.name())));
      }
    }
  }

  private Caller caller() {
    return callers == null ? Caller.ANONYMOUS : callers.current();
  }

  private CompletableFuture<String> execute(
      Caller caller, String callId, String name, String arguments, List<ToolMethod> tools) {
    ToolMethod tool = find(tools, name);
    if (tool == null) {
      return CompletableFuture.completedFuture(error("no such tool: " + name));
    }
    if (callId == null || callId.isEmpty()) {
      return CompletableFuture.completedFuture(error("the tool call has no call_id"));
    }
    String key = caller.tenant() + '\u0000' + caller.principal() + '\u0000' + callId;
    CompletableFuture<String> result = new CompletableFuture<>();
    synchronized (byCallId) {
      CompletableFuture<String> known = byCallId.get(key);
      if (known != null) {
        return known;
      }
      byCallId.put(key, result);
    }
    result.whenComplete(
        (r, e) -> {
          synchronized (byCallId) {
            byCallId.remove(key, result);
          }
        });
    boolean claimed;
    try {
      claimed = store == null || store.claim(caller, callId, name);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0731W: tool call of {0} not run, its claim could not be stored: {1}",
          new Object[] {name, e.getClass().getName()});
      result.complete(error("the tool call could not be recorded, so it was not run"));
      return result;
    }
    if (!claimed) {
      return result.completeAsync(() -> firstResult(caller, callId, tool), executor);
    }
    return result.completeAsync(() -> runAndRecord(caller, callId, tool, arguments), executor);
  }

  private String runAndRecord(Caller caller, String callId, ToolMethod tool, String arguments) {
    String result = invoke(tool, arguments);
    if (store != null) {
      try {
        store.recordResult(caller, callId, result);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "WARDEN0732W: the result of tool {0} could not be stored; a duplicate of the call on"
                + " another server gets an error: {1}",
            new Object[] {tool.name(), e.getClass().getName()});
      }
    }
    return result;
  }

  /**
   * The first result of a call claimed before: read from the store, waiting (with growing pauses,
   * in all at most the tool's timeout) while the first run has not stored it yet.
   */
  private String firstResult(Caller caller, String callId, ToolMethod tool) {
    long waited = 0;
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      ToolCallStore.FirstRun run;
      try {
        run = store.firstRun(caller, callId);
      } catch (RuntimeException e) {
        return error("this call_id already ran for this caller; its result could not be read");
      }
      switch (run.status()) {
        case DONE:
          return run.result();
        case UNREADABLE:
          return error(
              "this call_id already ran for this caller; its result can no longer be read");
        default:
          break;
      }
      if (waited + pause > tool.timeoutMillis()) {
        return error(
            "this call_id already ran for this caller and its first run stored no result; not run"
                + " again");
      }
      try {
        sleeper.sleep(Duration.ofMillis(pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return error("interrupted while waiting for the first run of this call_id");
      }
      waited += pause;
      pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
    }
  }

  /** How many calls are running on this server (tests). */
  int running() {
    synchronized (byCallId) {
      return byCallId.size();
    }
  }

  private String invoke(ToolMethod tool, String argumentText) {
    JsonObject arguments;
    try (JsonReader reader =
        Jsonp.createReader(new StringReader(argumentText == null ? "{}" : argumentText))) {
      arguments = reader.readObject();
    } catch (RuntimeException e) {
      return error("the arguments are not a JSON object");
    }
    try {
      Object bean = beans.apply(tool.beanClass());
      return ToolMethod.resultText(tool.method().invoke(bean, tool.arguments(arguments)));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      LOG.log(
          Level.FINE,
          "WARDEN0730I: tool {0} failed: {1}",
          new Object[] {tool.name(), cause.getClass()});
      return error(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return error("the tool could not be called: " + e.getClass().getSimpleName());
    }
  }

  private static long timeoutOf(List<ToolMethod> tools, String name) {
    ToolMethod tool = find(tools, name);
    return tool == null ? 1 : tool.timeoutMillis();
  }

  private static String await(CompletableFuture<String> result, long timeoutMillis, String callId) {
    try {
      return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      return error("the tool did not answer within " + timeoutMillis + " ms");
    } catch (ExecutionException e) {
      return error(e.getCause().getClass().getSimpleName());
    } catch (java.util.concurrent.CancellationException e) {
      return error("the tool did not answer in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for tool call " + callId, e);
    }
  }

  private static ToolMethod find(List<ToolMethod> tools, String name) {
    for (ToolMethod t : tools) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  private static String error(String message) {
    return Jsonp.createObjectBuilder().add("error", message).build().toString();
  }
}
