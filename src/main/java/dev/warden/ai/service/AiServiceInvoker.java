package dev.warden.ai.service;

import dev.warden.ai.DeferredCall;
import dev.warden.ai.DeferredCallEndedException;
import dev.warden.ai.DeferredCalls;
import dev.warden.ai.OpenAi;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.call.PromptRef;
import dev.warden.call.PromptScope;
import dev.warden.call.ResilienceScope;
import dev.warden.guard.OutputValidator;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ResponseFormat;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseTextConfig;
import dev.warden.openai.model.ResponseTextFormat;
import dev.warden.openai.model.Tool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Carries out a call of an {@link AiService} method: renders its prompt with the arguments and
 * sends it through {@link OpenAi} (so the one pipeline applies) with the prompt recorded for the
 * call ({@link PromptScope}).
 *
 * <p>MicroProfile Fault Tolerance is not done here: the runtime's own interceptor wraps this call
 * ({@link AiServiceExtension}), and a method that declares Fault Tolerance annotations has its
 * calls guarded by them alone ({@link ResilienceScope}). A method returning {@code CompletionStage}
 * or {@code Future} gets its result completed in one (its failure as a failed stage), on the thread
 * {@code @Asynchronous} chose.
 */
@ApplicationScoped
public class AiServiceInvoker {

  @Inject OpenAi openAi;
  @Inject AiServiceExtension extension;
  @Inject ToolLoop toolLoop;
  @Inject OutputValidator outputs;
  @Inject DeferredCalls deferred;
  @Inject Callers callers;

  Object invoke(Object proxy, Class<?> service, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> service.getName() + "@AiService";
      };
    }
    AiMethod m = extension.method(method).orElse(null);
    if (m == null) {
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      throw new IllegalStateException(service.getName() + "." + method.getName() + " is not known");
    }
    Object[] arguments = args == null ? new Object[0] : args;
    if (m.deferral() == AiMethod.Deferral.HANDLE) {
      return defer(m, arguments);
    }
    if (m.deferral() == AiMethod.Deferral.STAGE) {
      try {
        return whenAnswered(m, defer(m, arguments));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    Supplier<Object> call = () -> call(m, arguments);
    Supplier<Object> guarded =
        m.ownsFaultTolerance() ? () -> ResilienceScope.callerOwned(call) : call;
    if (m.async() == AiMethod.Async.NONE) {
      return guarded.get();
    }
    try {
      return CompletableFuture.completedFuture(guarded.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Object call(AiMethod m, Object[] args) {
    Map<String, Object> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      values.put(m.variables().get(i), args[i]);
    }
    PromptRef prompt = m.template().ref();
    ChatCompletionRequest.Builder request =
        ChatCompletionRequest.builder().model(m.model()).messages(m.template().render(values));
    if (!m.tools().isEmpty()) {
      return m.api() == AiService.Api.RESPONSES
          ? withResponsesTools(m, m.template().render(values), prompt)
          : withTools(m, request, prompt);
    }
    switch (m.kind()) {
      case STREAM:
        return openAi.streamChat(request.build(), prompt);
      case TYPED:
        ChatCompletionRequest typed =
            request
                .responseFormat(
                    ResponseFormat.jsonSchema(JsonSchemas.nameOf(m.resultType()), m.schema(), true))
                .build();
        return PromptScope.with(prompt, () -> openAi.chat(typed, m.resultType()).body());
      default:
        ChatCompletionRequest text = request.build();
        return PromptScope.with(prompt, () -> openAi.chat(text).body().firstText());
    }
  }

  /** Submits a {@link Deferrable} method's request through the Batch API. */
  private DeferredCall defer(AiMethod m, Object[] args) {
    Map<String, Object> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      values.put(m.variables().get(i), args[i]);
    }
    PromptRef prompt = m.template().ref();
    ChatCompletionRequest.Builder request =
        ChatCompletionRequest.builder().model(m.model()).messages(m.template().render(values));
    if (m.kind() == AiMethod.Kind.TYPED) {
      request.responseFormat(
          ResponseFormat.jsonSchema(JsonSchemas.nameOf(m.resultType()), m.schema(), true));
    }
    ChatCompletionRequest built = request.build();
    return PromptScope.with(prompt, () -> openAi.defer(built));
  }

  /**
   * The stage of a {@link Deferrable} method: completed once the batch has ended, with the text or
   * the result bound and validated as the synchronous method's; failed with {@link
   * DeferredCallEndedException} when the call ended without an answer.
   */
  private CompletionStage<Object> whenAnswered(AiMethod m, DeferredCall submitted) {
    Caller caller = callers.current();
    String id = submitted.id();
    return deferred
        .whenDone(id, caller)
        .thenApply(
            done -> {
              if (done.status() != DeferredCall.Status.COMPLETED) {
                throw new DeferredCallEndedException(
                    done.errorCode() == null ? "deferred_call_failed" : done.errorCode(),
                    "deferred call " + id + " ended " + done.status() + " without an answer");
              }
              String text =
                  deferred
                      .result(id, caller)
                      .orElseThrow(() -> new IllegalStateException("no answer for " + id))
                      .firstText();
              return m.kind() == AiMethod.Kind.TYPED
                  ? outputs.bind(text, m.schema(), m.resultType())
                  : text;
            });
  }

  /** A method whose service offers tools: the tool loop, then the text or the bound result. */
  private Object withTools(AiMethod m, ChatCompletionRequest.Builder request, PromptRef prompt) {
    List<Tool> tools = new ArrayList<>();
    for (ToolMethod t : m.tools()) {
      tools.add(Tool.function(t.name(), t.description(), t.schema(), true));
    }
    request.tools(tools).parallelToolCalls(true);
    if (m.kind() == AiMethod.Kind.TYPED) {
      request.responseFormat(
          ResponseFormat.jsonSchema(JsonSchemas.nameOf(m.resultType()), m.schema(), true));
    }
    ChatCompletionRequest first = request.build();
    String text =
        PromptScope.with(prompt, () -> toolLoop.run(first, m.tools(), m.maxToolRounds()))
            .firstText();
    return m.kind() == AiMethod.Kind.TYPED ? outputs.bind(text, m.schema(), m.resultType()) : text;
  }

  /**
   * A method whose service runs its tools on the Responses API: the rendered messages become input
   * message items, the tools strict {@code function} tools, a typed result a strict {@code
   * json_schema} text format; then the tool loop, then the text or the bound result.
   */
  private Object withResponsesTools(AiMethod m, List<ChatMessage> messages, PromptRef prompt) {
    List<ResponseItem> input = new ArrayList<>();
    for (ChatMessage message : messages) {
      input.add(ResponseItem.message(message.role(), message.text()));
    }
    List<JsonObject> tools = new ArrayList<>();
    for (ToolMethod t : m.tools()) {
      tools.add(CreateResponseRequest.functionTool(t.name(), t.description(), t.schema(), true));
    }
    CreateResponseRequest.Builder request =
        CreateResponseRequest.builder()
            .model(m.model())
            .input(ResponseInput.of(input))
            .tools(tools)
            .parallelToolCalls(true);
    if (m.kind() == AiMethod.Kind.TYPED) {
      request.text(
          ResponseTextConfig.of(
              ResponseTextFormat.jsonSchema(JsonSchemas.nameOf(m.resultType()), m.schema(), true)));
    }
    CreateResponseRequest first = request.build();
    String text =
        PromptScope.with(prompt, () -> toolLoop.runResponses(first, m.tools(), m.maxToolRounds()))
            .outputText();
    return m.kind() == AiMethod.Kind.TYPED ? outputs.bind(text, m.schema(), m.resultType()) : text;
  }

  /** The variables a method's call renders its prompt with (for tests and tools). */
  static List<String> variablesOf(AiMethod m) {
    return m.variables();
  }
}
