package dev.warden.ai.service;

import dev.warden.ai.DeferredCall;
import dev.warden.ai.StreamEvent;
import dev.warden.prompt.PromptCatalog;
import dev.warden.prompt.PromptTemplate;
import jakarta.json.JsonObject;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;

/**
 * What one method of an {@link AiService} does, worked out once at start-up: its prompt template,
 * model, which prompt variable each parameter fills, what it returns (and the generated schema of a
 * typed result), whether its result is wrapped for {@code @Asynchronous}, and whether it declares
 * Fault Tolerance annotations of its own (then Warden's own retries and fallback chain step aside
 * for its calls: one layer retries), and its tools with the API their loop runs on.
 */
record AiMethod(
    Class<?> service,
    Method method,
    PromptTemplate template,
    String model,
    Kind kind,
    Class<?> resultType,
    JsonObject schema,
    List<String> variables,
    boolean ownsFaultTolerance,
    Async async,
    List<ToolMethod> tools,
    int maxToolRounds,
    AiService.Api api,
    Deferral deferral) {

  /** Whether a call goes through the Batch API ({@link Deferrable}), and what it returns. */
  enum Deferral {
    /** A direct call. */
    NONE,
    /** Deferred; returns the {@link DeferredCall} handle at once. */
    HANDLE,
    /** Deferred; returns a stage completed with the result when the batch has ended. */
    STAGE
  }

  enum Kind {
    TEXT,
    TYPED,
    STREAM
  }

  /** How the result is handed back: as is, or completed in a stage or future. */
  enum Async {
    NONE,
    COMPLETION_STAGE,
    FUTURE
  }

  /**
   * Describes {@code method}.
   *
   * @throws IllegalArgumentException with every problem of the declaration
   */
  static AiMethod of(Class<?> service, Method method, PromptCatalog catalog) {
    String where = service.getName() + "." + method.getName();
    List<String> problems = new ArrayList<>();
    Prompt prompt = method.getAnnotation(Prompt.class);
    if (prompt == null) {
      throw new IllegalArgumentException(where + ": an AI service method needs @Prompt");
    }
    PromptTemplate template = catalog.select(prompt.id(), prompt.version()).orElse(null);
    if (template == null) {
      problems.add(
          where
              + ": prompt "
              + prompt.id()
              + (prompt.version().isEmpty() ? "" : " " + prompt.version())
              + " is not published (config/prompts/prompts.lock)");
    }
    String model =
        prompt.model().isEmpty() ? service.getAnnotation(AiService.class).model() : prompt.model();
    if (model.isBlank()) {
      problems.add(where + ": no model (@Prompt(model) or @AiService(model))");
    }
    Kind kind;
    Async async = Async.NONE;
    Class<?> resultType = method.getReturnType();
    Type genericResult = method.getGenericReturnType();
    Deferral deferral = Deferral.NONE;
    if (method.isAnnotationPresent(Deferrable.class)) {
      if (resultType == DeferredCall.class) {
        deferral = Deferral.HANDLE;
        resultType = String.class;
        genericResult = String.class;
      } else if (resultType == CompletionStage.class) {
        deferral = Deferral.STAGE;
      } else {
        problems.add(where + ": a @Deferrable method returns DeferredCall or CompletionStage<T>");
      }
      if (FaultToleranceAnnotations.declaredOn(method)) {
        problems.add(
            where
                + ": a @Deferrable method declares no Fault Tolerance annotations (@Asynchronous"
                + " included): the Batch API runs it when it can");
      }
    }
    if (resultType == CompletionStage.class || resultType == Future.class) {
      async = resultType == Future.class ? Async.FUTURE : Async.COMPLETION_STAGE;
      Type inner =
          genericResult instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
      if (inner instanceof Class<?> c) {
        resultType = c;
        genericResult = c;
      } else {
        problems.add(
            where
                + ": "
                + method.getReturnType().getSimpleName()
                + " needs a result type, e.g. CompletionStage<String>");
        resultType = String.class;
      }
    }
    JsonObject schema = null;
    if (resultType == String.class) {
      kind = Kind.TEXT;
    } else if (resultType == Flow.Publisher.class) {
      kind = Kind.STREAM;
      if (!(genericResult instanceof ParameterizedType p)
          || p.getActualTypeArguments()[0] != StreamEvent.class) {
        problems.add(where + ": a streaming method returns Flow.Publisher<StreamEvent>");
      }
      if (async != Async.NONE) {
        problems.add(where + ": a stream is already asynchronous; return it directly");
      }
    } else {
      kind = Kind.TYPED;
      try {
        schema = JsonSchemas.of(resultType);
      } catch (IllegalArgumentException e) {
        problems.add(where + ": return type " + e.getMessage());
      }
    }
    List<String> variables = new ArrayList<>();
    Parameter[] parameters = method.getParameters();
    for (Parameter p : parameters) {
      Var var = p.getAnnotation(Var.class);
      if (var != null) {
        variables.add(var.value());
      } else if (p.isNamePresent()) {
        variables.add(p.getName());
      } else if (parameters.length == 1 && template != null && template.variables().size() == 1) {
        variables.add(template.variables().iterator().next());
      } else {
        problems.add(
            where + ": name the prompt variable of parameter " + p.getName() + " with @Var");
        variables.add(p.getName());
      }
    }
    if (template != null) {
      Set<String> given = new LinkedHashSet<>(variables);
      if (!given.equals(template.variables())) {
        problems.add(
            where
                + ": parameters fill "
                + given
                + " but prompt "
                + template.ref().id()
                + " "
                + template.ref().version()
                + " uses "
                + template.variables());
      }
    }
    problems.addAll(FaultToleranceAnnotations.problems(service, method, kind == Kind.STREAM));
    AiService declaration = service.getAnnotation(AiService.class);
    List<ToolMethod> tools = new ArrayList<>();
    Set<String> toolNames = new LinkedHashSet<>();
    for (Class<?> bean : declaration.tools()) {
      try {
        for (ToolMethod t : ToolMethod.of(bean)) {
          if (!toolNames.add(t.name())) {
            problems.add(where + ": two tools are named " + t.name());
          }
          tools.add(t);
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!tools.isEmpty() && kind == Kind.STREAM) {
      problems.add(where + ": tools are not offered to streaming methods");
    }
    if (deferral != Deferral.NONE && kind == Kind.STREAM) {
      problems.add(where + ": a @Deferrable method does not stream");
    }
    if (deferral != Deferral.NONE && !tools.isEmpty()) {
      problems.add(where + ": a @Deferrable method takes no tools (a tool loop needs answers now)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new AiMethod(
        service,
        method,
        template,
        model,
        kind,
        resultType,
        schema,
        List.copyOf(variables),
        FaultToleranceAnnotations.declaredOn(method),
        async,
        List.copyOf(tools),
        declaration.maxToolRounds(),
        declaration.api(),
        deferral);
  }
}
