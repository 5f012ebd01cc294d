package dev.warden.ai.service;

import dev.warden.ai.OpenAi;
import dev.warden.guard.InjectionScreener;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ToolCall;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Every {@code call_id} runs at most once: results are kept by id (the last {@value #REMEMBERED}
 * ids), so a generation that is retried or re-proposes a call it already made gets the first result
 * and never runs a side effect twice.
 */
@ApplicationScoped
public class ToolLoop {

  private static final Logger LOG = Logger.getLogger(ToolLoop.class.getName());
  static final int REMEMBERED = 10_000;

  @Inject OpenAi openAi;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ExecutorService executor;

  private final Map<String, CompletableFuture<String>> byCallId =
      new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<String>> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** The final answer of the conversation {@code request} starts, after its tool rounds. */
  ChatCompletion run(ChatCompletionRequest request, List<ToolMethod> tools, int maxRounds) {
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
        results.add(execute(call, tools));
      }
      for (int i = 0; i < results.size(); i++) {
        ToolCall call = message.toolCalls().get(i);
        ToolMethod tool = find(tools, call.function().name());
        String result = await(results.get(i), tool == null ? 1 : tool.timeoutMillis(), call);
        conversation.add(
            ChatMessage.tool(
                call.id(), InjectionScreener.delimit(result, "tool " + call.function().name())));
      }
    }
  }

  private CompletableFuture<String> execute(ToolCall call, List<ToolMethod> tools) {
    ToolMethod tool = find(tools, call.function().name());
    if (tool == null) {
      return CompletableFuture.completedFuture(error("no such tool: " + call.function().name()));
    }
    synchronized (byCallId) {
      CompletableFuture<String> known = byCallId.get(call.id());
      if (known != null) {
        return known;
      }
      CompletableFuture<String> result =
          CompletableFuture.supplyAsync(() -> invoke(tool, call), executor);
      byCallId.put(call.id(), result);
      return result;
    }
  }

  /** How many times each call id has been executed is observable through this (tests). */
  int remembered() {
    synchronized (byCallId) {
      return byCallId.size();
    }
  }

  private static String invoke(ToolMethod tool, ToolCall call) {
    JsonObject arguments;
    try (JsonReader reader = Json.createReader(new StringReader(call.function().arguments()))) {
      arguments = reader.readObject();
    }
    try {
      Object bean = CDI.current().select(tool.beanClass()).get();
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

  private static String await(CompletableFuture<String> result, long timeoutMillis, ToolCall call) {
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
      throw new IllegalStateException("interrupted while waiting for tool " + call.id(), e);
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
    return Json.createObjectBuilder().add("error", message).build().toString();
  }
}
