package dev.warden.telemetry;

import dev.warden.call.CallContext;
import dev.warden.call.CallFinished;
import dev.warden.call.CallSpans;
import dev.warden.call.FallbackKind;
import dev.warden.call.Outcome;
import dev.warden.config.ConfigProducer;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.stream.TokenUsage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One OpenTelemetry span per model call (chat completions, Responses, embeddings), following the
 * OpenTelemetry semantic conventions for generative AI: named {@code "{operation} {model}"}, kind
 * CLIENT, with {@code gen_ai.*} request, response and usage attributes and {@code error.type}, plus
 * Warden's own ({@code warden.*}: outcome, attempts, retries, fallback, cost, ...).
 *
 * <p>The span starts when the pipeline starts the call and is current while the call runs, so the
 * REST client's HTTP spans of each attempt are its children; it ends from {@link CallFinished} (for
 * streams, when the stream ends), at the call's own end time. Nothing is done per stream event. No
 * prompt or output content is recorded unless {@code warden.telemetry.capture-content} is {@code
 * true}; even then only the request as sent upstream and the answer as the upstream gave it, that
 * is with personal data already replaced by placeholders.
 *
 * <p>With the OpenTelemetry SDK disabled (Liberty's default, {@code otel.sdk.disabled=true}) the
 * tracer is a no-op: spans are not recording, nothing is kept, and the cost is one method call.
 */
public class CallTracing implements CallSpans {

  static final String CAPTURE_CONTENT = "warden.telemetry.capture-content";
  static final int MAX_CONTENT_CHARS = 16_384;

  private static final Current NONE = () -> {};

  @Inject Tracer tracer;

  private final Map<String, Span> open = new ConcurrentHashMap<>();
  private final boolean captureContent =
      "true".equalsIgnoreCase(ConfigProducer.settings().string(CAPTURE_CONTENT, "false").trim());

  /**
   * Starts the span of a model call and makes it current; a no-op for operations that are not model
   * calls or when tracing is off. {@code request} is the caller's request record.
   */
  @Override
  public Current start(CallContext call, String operation, Object request) {
    String genAiOperation = genAiOperation(operation);
    if (genAiOperation == null) {
      return NONE;
    }
    String model = call.requestedModel();
    SpanBuilder builder =
        tracer
            .spanBuilder(model == null ? genAiOperation : genAiOperation + " " + model)
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(call.startedAt().toEpochMilli(), TimeUnit.MILLISECONDS)
            .setAttribute("gen_ai.operation.name", genAiOperation)
            .setAttribute("gen_ai.provider.name", "openai")
            .setAttribute("gen_ai.system", "openai")
            .setAttribute("warden.request_id", call.requestId())
            .setAttribute("warden.operation", operation)
            .setAttribute("warden.entry_point", call.entryPoint().name().toLowerCase())
            .setAttribute("warden.tenant", call.caller().tenant());
    if (model != null) {
      builder.setAttribute("gen_ai.request.model", model);
    }
    Span span = builder.startSpan();
    if (!span.isRecording()) {
      return NONE;
    }
    requestAttributes(span, request);
    if (call.promptId() != null) {
      span.setAttribute("warden.prompt.id", call.promptId());
      span.setAttribute("warden.prompt.version", call.promptVersion());
    }
    open.put(call.requestId(), span);
    Scope scope = span.makeCurrent();
    return scope::close;
  }

  /** Ends the call's span with what happened. Runs before the audit observers. */
  void finished(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) CallFinished call) {
    Span span = open.remove(call.requestId());
    if (span == null) {
      return;
    }
    String responseModel = call.modelSnapshot() != null ? call.modelSnapshot() : call.answeredBy();
    if (responseModel != null) {
      span.setAttribute("gen_ai.response.model", responseModel);
    }
    responseAttributes(span, call.upstreamAnswer());
    TokenUsage usage = call.usage();
    if (usage != null && (usage.input() > 0 || usage.output() > 0)) {
      span.setAttribute("gen_ai.usage.input_tokens", usage.input());
      span.setAttribute("gen_ai.usage.output_tokens", usage.output());
      span.setAttribute("warden.usage.cached_input_tokens", usage.cachedInput());
      if (usage.reasoning() > 0) {
        span.setAttribute("warden.usage.reasoning_tokens", usage.reasoning());
      }
    }
    span.setAttribute("warden.outcome", call.outcome().name().toLowerCase());
    span.setAttribute("warden.attempts", call.attempts());
    span.setAttribute("warden.retries", Math.max(0, call.attempts() - 1));
    span.setAttribute("warden.fallback", call.fallback().wire());
    if (call.fallback() != FallbackKind.NONE && call.answeredBy() != null) {
      span.setAttribute("warden.answered_by", call.answeredBy());
    }
    span.setAttribute("warden.streamed", call.streamed());
    if (call.timeToFirstEvent() != null) {
      span.setAttribute("warden.time_to_first_event_ms", call.timeToFirstEvent().toMillis());
    }
    if (call.cost() != null) {
      span.setAttribute("warden.cost_usd", call.cost().doubleValue());
    }
    if (call.upstreamRequestId() != null) {
      span.setAttribute("warden.upstream_request_id", call.upstreamRequestId());
    }
    if (!call.piiFound().isEmpty()) {
      span.setAttribute(
          AttributeKey.stringArrayKey("warden.pii.types"), List.copyOf(call.piiFound().keySet()));
    }
    if (call.guardVerdict() != null) {
      span.setAttribute("warden.guard.score", call.guardVerdict().score());
    }
    if (captureContent) {
      content(span, "gen_ai.input.messages", inputOf(call.sentRequest()));
      content(span, "gen_ai.output.messages", outputOf(call.upstreamAnswer()));
    }
    if (call.outcome() == Outcome.FAILED) {
      span.setAttribute("error.type", call.errorType() == null ? "_OTHER" : call.errorType());
      span.setStatus(StatusCode.ERROR);
    } else if (call.outcome() == Outcome.CANCELLED) {
      span.setAttribute("error.type", "cancelled");
    }
    span.end(call.startedAt().plus(call.latency()));
  }

  private static String genAiOperation(String operation) {
    switch (operation) {
      case "chat.completions":
      case "responses.create":
        return "chat";
      case "embeddings":
        return "embeddings";
      default:
        return null;
    }
  }

  private static void requestAttributes(Span span, Object request) {
    if (request instanceof ChatCompletionRequest) {
      ChatCompletionRequest r = (ChatCompletionRequest) request;
      Integer max = r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens();
      if (max != null) {
        span.setAttribute("gen_ai.request.max_tokens", max.longValue());
      }
      setDouble(span, "gen_ai.request.temperature", r.temperature());
      setDouble(span, "gen_ai.request.top_p", r.topP());
      setDouble(span, "gen_ai.request.frequency_penalty", r.frequencyPenalty());
      setDouble(span, "gen_ai.request.presence_penalty", r.presencePenalty());
      if (r.seed() != null) {
        span.setAttribute("gen_ai.request.seed", r.seed());
      }
      if (r.n() != null && r.n() != 1) {
        span.setAttribute("gen_ai.request.choice.count", r.n().longValue());
      }
      if (r.serviceTier() != null) {
        span.setAttribute("openai.request.service_tier", r.serviceTier());
      }
      span.setAttribute("warden.stream", r.streaming());
    } else if (request instanceof CreateResponseRequest) {
      CreateResponseRequest r = (CreateResponseRequest) request;
      if (r.maxOutputTokens() != null) {
        span.setAttribute("gen_ai.request.max_tokens", r.maxOutputTokens().longValue());
      }
      setDouble(span, "gen_ai.request.temperature", r.temperature());
      setDouble(span, "gen_ai.request.top_p", r.topP());
      if (r.serviceTier() != null) {
        span.setAttribute("openai.request.service_tier", r.serviceTier());
      }
      span.setAttribute("warden.stream", Boolean.TRUE.equals(r.stream()));
    } else if (request instanceof EmbeddingRequest) {
      EmbeddingRequest r = (EmbeddingRequest) request;
      if (r.dimensions() != null) {
        span.setAttribute("gen_ai.embeddings.dimension.count", r.dimensions().longValue());
      }
      if (r.encodingFormat() != null) {
        span.setAttribute(
            AttributeKey.stringArrayKey("gen_ai.request.encoding_formats"),
            List.of(r.encodingFormat()));
      }
    }
  }

  private static void responseAttributes(Span span, Object answer) {
    if (answer instanceof ChatCompletion) {
      ChatCompletion c = (ChatCompletion) answer;
      if (c.id() != null) {
        span.setAttribute("gen_ai.response.id", c.id());
      }
      List<String> reasons = new ArrayList<>();
      if (c.choices() != null) {
        for (ChatChoice choice : c.choices()) {
          if (choice != null && choice.finishReason() != null) {
            reasons.add(choice.finishReason());
          }
        }
      }
      if (!reasons.isEmpty()) {
        span.setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), reasons);
      }
    } else if (answer instanceof ModelResponse) {
      ModelResponse r = (ModelResponse) answer;
      if (r.id() != null) {
        span.setAttribute("gen_ai.response.id", r.id());
      }
      if (r.status() != null) {
        span.setAttribute(
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of(r.status()));
      }
    }
  }

  private static void setDouble(Span span, String key, Double value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
  }

  private static Object inputOf(Object sent) {
    if (sent instanceof ChatCompletionRequest) {
      return ((ChatCompletionRequest) sent).messages();
    }
    if (sent instanceof CreateResponseRequest) {
      return ((CreateResponseRequest) sent).input();
    }
    if (sent instanceof EmbeddingRequest) {
      return ((EmbeddingRequest) sent).input();
    }
    return null;
  }

  private static Object outputOf(Object answer) {
    if (answer instanceof ChatCompletion) {
      return ((ChatCompletion) answer).choices();
    }
    if (answer instanceof ModelResponse) {
      return ((ModelResponse) answer).output();
    }
    return null;
  }

  /** Records content already redacted (placeholders), bounded in size. */
  private static void content(Span span, String key, Object value) {
    if (value == null) {
      return;
    }
    String json;
    try {
      json = SharedJsonb.JSONB.toJson(value);
    } catch (RuntimeException e) {
      return;
    }
    span.setAttribute(
        key, json.length() > MAX_CONTENT_CHARS ? json.substring(0, MAX_CONTENT_CHARS) : json);
  }
}
