package dev.warden.ai;

import dev.warden.call.EntryPoint;
import dev.warden.call.RouteScope;
import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.config.ConfigProducer;
import dev.warden.config.Jsonp;
import dev.warden.config.Settings;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Model routing per use case, cheap first: the request goes to the use case's first (cheapest)
 * model; when the answer fails the caller's validation, or its confidence field is below the
 * threshold, or the model fails (after Warden's retries and fallback chain), it escalates to the
 * next model. Every attempt is a whole pipeline call (admission, budgets, redaction, audit). The
 * {@link Routed} result says which model answered and why each earlier one was passed over; the
 * decision is also logged ({@code WARDEN0650I}, request ids and reasons, never content).
 */
@ApplicationScoped
public class ModelRouter {

  private static final Logger LOG = Logger.getLogger(ModelRouter.class.getName());

  @Inject OpenAi openAi;
  @Inject Pipeline pipeline;

  /**
   * The reserved model name that routes a {@code /v1} request by a use case's route: {@code
   * route:<use-case>}. OpenAI's own model names never start with it.
   */
  public static final String ALIAS_PREFIX = "route:";

  /** One attempt and why it was or was not the answer. */
  public record Step(String model, String requestId, String decision) {}

  /** The answer (from the last model tried) and the steps that led to it. */
  public record Routed(Answer<ChatCompletion> answer, List<Step> steps, boolean escalated) {}

  /** A routed Responses call: the answer and the steps that led to it. */
  public record RoutedResponse(Answer<ModelResponse> answer, List<Step> steps, boolean escalated) {}

  /** The answer of any kind and the steps that led to it. */
  record Outcome<Ans>(Answer<Ans> answer, List<Step> steps, boolean escalated) {}

  /**
   * Routes {@code request} (its {@code model} is ignored) by the use case's route, accepting an
   * answer that passes {@code valid} and the confidence threshold.
   *
   * @throws BadRequestException if the use case has no route
   * @throws OpenAiException the last model's failure when every model failed
   */
  public Routed chat(
      String useCase, ChatCompletionRequest request, Predicate<ChatCompletion> valid) {
    Route route =
        Route.of(ConfigProducer.settings(), useCase)
            .orElseThrow(
                () ->
                    new BadRequestException(
                        new ErrorInfo(
                            400,
                            "no route for use case " + useCase,
                            "invalid_request_error",
                            "unknown_use_case",
                            null,
                            null,
                            null),
                        null));
    return route(route, request, valid, openAi::chat);
  }

  /** {@link #chat(String, ChatCompletionRequest, Predicate)} with the confidence check only. */
  public Routed chat(String useCase, ChatCompletionRequest request) {
    return chat(useCase, request, c -> true);
  }

  /** Whether {@code model} is a route alias ({@value #ALIAS_PREFIX}{@code <use-case>}). */
  public static boolean isAlias(String model) {
    return model != null && model.startsWith(ALIAS_PREFIX);
  }

  /**
   * Routes a chat completion whose {@code model} is a route alias, from {@code entry} (the {@code
   * /v1} surface): as {@link #chat(String, ChatCompletionRequest)}, each attempt a pipeline call of
   * {@code entry}.
   *
   * @throws dev.warden.openai.error.NotFoundException 404 {@code model_not_found} when the alias
   *     names no configured route
   * @throws BadRequestException when the request asks to stream
   */
  public Routed chat(EntryPoint entry, ChatCompletionRequest request) {
    Route route =
        aliased(
            ConfigProducer.settings(),
            request == null ? null : request.model(),
            request == null ? null : request.stream());
    return route(route, request, c -> true, r -> pipeline.chat(entry, r));
  }

  /**
   * Routes a Responses call whose {@code model} is a route alias, from {@code entry}: the same
   * escalation as chat completions, the confidence field read from the response's output text, and
   * the route's {@code max-completion-tokens} applied as {@code max_output_tokens}.
   *
   * @throws dev.warden.openai.error.NotFoundException 404 {@code model_not_found} when the alias
   *     names no configured route
   * @throws BadRequestException when the request asks to stream or to run in the background
   */
  public RoutedResponse respond(EntryPoint entry, CreateResponseRequest request) {
    Route route =
        aliased(
            ConfigProducer.settings(),
            request == null ? null : request.model(),
            request == null ? null : request.stream());
    if (Boolean.TRUE.equals(request.background())) {
      throw badRequest("a route alias cannot run in the background", "background");
    }
    CreateResponseRequest base = request;
    if (route.maxCompletionTokens() != null && request.maxOutputTokens() == null) {
      base = request.toBuilder().maxOutputTokens(route.maxCompletionTokens()).build();
    }
    Outcome<ModelResponse> o =
        routeAny(
            route,
            base,
            CreateResponseRequest::withModel,
            r -> true,
            ModelResponse::outputText,
            r -> pipeline.createResponse(entry, r));
    return new RoutedResponse(o.answer(), o.steps(), o.escalated());
  }

  /**
   * The route a {@code route:<use-case>} alias names.
   *
   * @throws dev.warden.openai.error.NotFoundException 404 {@code model_not_found}, as OpenAI
   *     answers an unknown model, when it names no configured route
   * @throws BadRequestException when the request asks to stream
   */
  static Route aliased(Settings settings, String model, Boolean stream) {
    if (!isAlias(model)) {
      throw RequestChecks.unknownModel(model);
    }
    String useCase = model.substring(ALIAS_PREFIX.length());
    Route route =
        useCase.isEmpty() || useCase.contains(".")
            ? null
            : Route.of(settings, useCase).orElse(null);
    if (route == null) {
      throw RequestChecks.unknownModel(model);
    }
    if (Boolean.TRUE.equals(stream)) {
      throw badRequest(
          "a route alias does not stream: escalation needs the whole answer", "stream");
    }
    return route;
  }

  private static BadRequestException badRequest(String message, String param) {
    return new BadRequestException(
        new ErrorInfo(400, message, "invalid_request_error", null, param, null, null), null);
  }

  static Routed route(
      Route route,
      ChatCompletionRequest request,
      Predicate<ChatCompletion> valid,
      Function<ChatCompletionRequest, Answer<ChatCompletion>> call) {
    ChatCompletionRequest base = request;
    if (route.maxCompletionTokens() != null
        && request.maxCompletionTokens() == null
        && request.maxTokens() == null) {
      base = request.toBuilder().maxCompletionTokens(route.maxCompletionTokens()).build();
    }
    Outcome<ChatCompletion> o =
        routeAny(
            route, base, ChatCompletionRequest::withModel, valid, ChatCompletion::firstText, call);
    return new Routed(o.answer(), o.steps(), o.escalated());
  }

  /**
   * The routing of any kind of call: each model of the route in turn, escalating on invalid output,
   * a confidence below the threshold, or an outage; never on the caller's own 4xx or Warden's
   * budget and rate-limit refusals.
   */
  static <Req, Ans> Outcome<Ans> routeAny(
      Route route,
      Req base,
      BiFunction<Req, String, Req> withModel,
      Predicate<Ans> valid,
      Function<Ans, String> text,
      Function<Req, Answer<Ans>> call) {
    List<Step> steps = new ArrayList<>();
    Answer<Ans> last = null;
    OpenAiException lastFailure = null;
    List<String> models = route.models();
    // the audit record's route reason of the next call (RouteScope)
    String reason = "routed: use case " + route.useCase() + ", cheapest first";
    for (int i = 0; i < models.size(); i++) {
      String model = models.get(i);
      boolean lastModel = i == models.size() - 1;
      Answer<Ans> answer;
      Req attempt = withModel.apply(base, model);
      String escalation = "escalated: use case " + route.useCase() + ", after " + model + ": ";
      try {
        answer = RouteScope.with(reason, () -> call.apply(attempt));
      } catch (OutputValidationRefusal e) {
        // Warden's own output validation (schema, tool calls, Bean Validation) failed: a stronger
        // model may well produce a valid answer
        steps.add(new Step(model, null, "escalated: the output failed validation"));
        reason = escalation + "the output failed validation";
        lastFailure = e;
        continue;
      } catch (OpenAiException e) {
        if (!e.isRetriable()) {
          // the request itself is wrong, or the caller is over a budget or rate limit: a
          // stronger (dearer) model will not fix it
          throw e;
        }
        steps.add(new Step(model, null, "failed: " + e.getClass().getSimpleName()));
        reason = escalation + "outage (" + e.getClass().getSimpleName() + ")";
        lastFailure = e;
        continue;
      }
      last = answer;
      String verdict = verdict(route, text.apply(answer.body()), valid.test(answer.body()));
      if (verdict == null || lastModel) {
        steps.add(
            new Step(
                model,
                answer.requestId(),
                verdict == null ? "accepted" : "accepted as the last model (" + verdict + ")"));
        log(route, steps);
        return new Outcome<>(answer, steps, steps.size() > 1);
      }
      steps.add(new Step(model, answer.requestId(), "escalated: " + verdict));
      reason = escalation + verdict;
    }
    log(route, steps);
    if (last != null) {
      return new Outcome<>(last, steps, true);
    }
    throw lastFailure;
  }

  /** Why {@code answer} is not good enough, or {@code null} when it is. */
  static String verdict(Route route, ChatCompletion answer, Predicate<ChatCompletion> valid) {
    return verdict(route, answer.firstText(), valid.test(answer));
  }

  private static String verdict(Route route, String text, boolean valid) {
    if (!valid) {
      return "the answer failed validation";
    }
    if (route.confidenceField() == null) {
      return null;
    }
    BigDecimal confidence = confidence(text, route.confidenceField());
    if (confidence == null) {
      return "no " + route.confidenceField() + " in the answer";
    }
    if (confidence.compareTo(route.minConfidence()) < 0) {
      return route.confidenceField()
          + " "
          + confidence.toPlainString()
          + " below "
          + route.minConfidence().toPlainString();
    }
    return null;
  }

  private static BigDecimal confidence(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      JsonValue v = Jsonp.createReader(new StringReader(text)).readValue();
      if (v instanceof JsonObject && ((JsonObject) v).get(field) instanceof JsonNumber) {
        return ((JsonNumber) ((JsonObject) v).get(field)).bigDecimalValue();
      }
    } catch (JsonException e) {
      return null;
    }
    return null;
  }

  private static void log(Route route, List<Step> steps) {
    LOG.log(
        Level.INFO, "WARDEN0650I: use case {0} routed: {1}", new Object[] {route.useCase(), steps});
  }
}
