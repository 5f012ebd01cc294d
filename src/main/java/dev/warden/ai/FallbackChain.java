package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.CircuitState;
import dev.warden.call.FallbackKind;
import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import dev.warden.openai.Exchange;
import dev.warden.openai.OpenAiTransport;
import dev.warden.openai.error.CircuitOpenException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.error.UpstreamTimeoutException;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseContent;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseUsage;
import dev.warden.openai.model.Usage;
import dev.warden.openai.stream.StreamAccumulator;
import dev.warden.openai.stream.UpstreamStream;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What answers when the requested model has failed after its retries, or its circuit is open.
 *
 * <ol>
 *   <li>If the upstream was actually tried (the circuit was closed), each model of {@code
 *       warden.fallback.models} is tried once, in order, directly on the transport: no retries of
 *       its own (no M×N retry storms) and no second circuit breaker.
 *   <li>Then the deterministic answer {@code warden.fallback.answer}, if configured, marked with
 *       the model name {@value #DETERMINISTIC_MODEL}.
 *   <li>Otherwise the original failure reaches the caller ({@link CircuitOpenException} when the
 *       circuit was open and nothing was tried).
 * </ol>
 *
 * An open circuit skips step 1: the upstream is considered down, so failing fast means not calling
 * it for other models either.
 */
@ApplicationScoped
public class FallbackChain {

  /** The model name of the deterministic answer. */
  public static final String DETERMINISTIC_MODEL = "warden-fallback";

  private static final Logger LOG = Logger.getLogger(FallbackChain.class.getName());

  private final OpenAiTransport transport;
  private final Clock clock;
  private final CircuitState circuit;
  private List<String> models;
  private Optional<String> answer;

  @Inject
  FallbackChain(OpenAiTransport transport, Clock clock, CircuitState circuit) {
    this(transport, clock, circuit, null, null);
  }

  /**
   * With the fallback {@code models} and deterministic {@code answer}; {@code null}: read from the
   * configuration when the bean starts.
   */
  FallbackChain(
      OpenAiTransport transport,
      Clock clock,
      CircuitState circuit,
      List<String> models,
      Optional<String> answer) {
    this.transport = transport;
    this.clock = clock;
    this.circuit = circuit;
    this.models = models;
    this.answer = answer;
  }

  /** For CDI's client proxy. */
  protected FallbackChain() {
    this(null, null, null, null, null);
  }

  @PostConstruct
  void init() {
    if (models == null) {
      Settings s = ConfigProducer.settings();
      models = s.list("warden.fallback.models");
      answer = s.string("warden.fallback.answer");
    }
  }

  ChatCompletion chat(ChatCompletionRequest request, CallContext call) {
    return run(
        call,
        request.model(),
        model -> transport.chat(request.withModel(model), call.idempotencyKey() + ":" + model),
        ChatCompletion::model,
        this::deterministicChat);
  }

  private ChatCompletion deterministicChat() {
    return new ChatCompletion(
        "chatcmpl-" + DETERMINISTIC_MODEL + "-" + UUID.randomUUID(),
        "chat.completion",
        clock.instant().getEpochSecond(),
        DETERMINISTIC_MODEL,
        List.of(new ChatChoice(0, ChatMessage.assistant(answer.get()), "stop", null)),
        new Usage(0, 0, 0, null, null),
        null,
        null);
  }

  ModelResponse createResponse(CreateResponseRequest request, CallContext call) {
    return run(
        call,
        request.model(),
        model ->
            transport.createResponse(request.withModel(model), call.idempotencyKey() + ":" + model),
        ModelResponse::model,
        () -> deterministicResponse(request));
  }

  private ModelResponse deterministicResponse(CreateResponseRequest request) {
    return new ModelResponse(
        "resp_" + DETERMINISTIC_MODEL + "_" + UUID.randomUUID().toString().replace("-", ""),
        "response",
        clock.instant().getEpochSecond(),
        "completed",
        null,
        null,
        null,
        DETERMINISTIC_MODEL,
        List.of(
            ResponseItem.message("assistant", List.of(ResponseContent.outputText(answer.get())))),
        null,
        request.previousResponseId(),
        null,
        null,
        false,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        new ResponseUsage(0, null, 0, null, 0),
        null,
        request.metadata(),
        null,
        null,
        null,
        null,
        clock.instant().getEpochSecond(),
        null,
        null,
        null);
  }

  OpenStream openChatStream(
      ChatCompletionRequest request, Supplier<StreamAccumulator> accumulator, CallContext call) {
    return run(
        call,
        request.model(),
        streamFrom(
            model ->
                transport.openChatStream(
                    request.withModel(model), call.idempotencyKey() + ":" + model),
            accumulator),
        stream -> null,
        () -> {
          ChatCompletion answer = deterministicChat();
          return ResilientOpenAi.readFirst(
              UpstreamStream.of(DeterministicStreams.chat(answer)), accumulator.get());
        });
  }

  OpenStream openResponseStream(
      CreateResponseRequest request, Supplier<StreamAccumulator> accumulator, CallContext call) {
    return run(
        call,
        request.model(),
        streamFrom(
            model ->
                transport.openResponseStream(
                    request.withModel(model), call.idempotencyKey() + ":" + model),
            accumulator),
        stream -> null,
        () ->
            ResilientOpenAi.readFirst(
                UpstreamStream.of(DeterministicStreams.response(deterministicResponse(request))),
                accumulator.get()));
  }

  /** One fallback model's stream: opened by {@code open}, its first event read. */
  private static Function<String, Exchange<OpenStream>> streamFrom(
      Function<String, UpstreamStream> open, Supplier<StreamAccumulator> accumulator) {
    return model -> {
      OpenStream stream = ResilientOpenAi.readFirst(open.apply(model), accumulator.get());
      return new Exchange<>(stream, 200, stream.stream().requestId());
    };
  }

  private <T> T run(
      CallContext call,
      String requestedModel,
      Function<String, Exchange<T>> callModel,
      Function<T, String> snapshot,
      Supplier<T> deterministic) {
    if (call.attempts() == 0) {
      circuit.observedOpen(); // the fallback runs without an attempt: the breaker is open
    }
    if (call.callerOwnsResilience()) {
      throw finalFailure(call); // the caller's own @Fallback answers, not this chain
    }
    if (call.attempts() > 0) {
      for (String model : models) {
        if (model.equals(requestedModel)) {
          continue;
        }
        call.upstream().beginFallback();
        try {
          Exchange<T> exchange = callModel.apply(model);
          call.upstream()
              .answered(
                  model, snapshot.apply(exchange.body()), exchange.requestId(), FallbackKind.MODEL);
          LOG.info(
              () ->
                  String.format(
                      "WARDEN0111I: call %s answered by fallback model %s",
                      call.requestId(), model));
          return exchange.body();
        } catch (OpenAiException e) {
          LOG.info(
              () ->
                  String.format(
                      "WARDEN0112I: call %s fallback model %s failed: %s status=%d",
                      call.requestId(), model, e.getClass().getSimpleName(), e.status()));
        }
      }
    }
    if (answer.isPresent()) {
      call.upstream()
          .answered(DETERMINISTIC_MODEL, DETERMINISTIC_MODEL, null, FallbackKind.DETERMINISTIC);
      LOG.info(
          () ->
              String.format(
                  "WARDEN0113I: call %s answered by the deterministic fallback", call.requestId()));
      return deterministic.get();
    }
    throw finalFailure(call);
  }

  private static OpenAiException finalFailure(CallContext call) {
    if (call.upstream().lastFailure() != null) {
      return call.upstream().lastFailure();
    }
    if (call.attempts() == 0) {
      return new CircuitOpenException(
          ErrorInfo.of(503, "the upstream is failing and its circuit breaker is open"), null);
    }
    return new UpstreamTimeoutException(
        ErrorInfo.transport("the call exceeded its time limit"), null);
  }
}
