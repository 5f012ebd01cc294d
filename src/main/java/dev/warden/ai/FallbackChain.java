package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.CircuitState;
import dev.warden.call.FallbackKind;
import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import dev.warden.openai.Exchange;
import dev.warden.openai.OpenAiSettings;
import dev.warden.openai.OpenAiTransport;
import dev.warden.openai.Upstream;
import dev.warden.openai.Upstreams;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What answers when the requested model has failed after its retries, or its circuit is open.
 *
 * <ol>
 *   <li>Each entry of the requested model's chain ({@code warden.fallback.chain.<model>}, else
 *       {@code warden.fallback.models}) is tried once, in order, directly on the transport: no
 *       retries of its own (no M×N retry storms). An entry is a model, sent to the upstream that
 *       serves it, or {@code model@upstream}, sent to that upstream ({@link Upstreams}). The
 *       requested model on its own upstream is skipped; so is every entry on that upstream when its
 *       circuit was open (nothing was tried: that upstream counts as down, for every model), and
 *       every entry on another upstream whose own circuit is open ({@link UpstreamCircuits}).
 *   <li>Then the deterministic answer {@code warden.fallback.answer}, if configured, marked with
 *       the model name {@value #DETERMINISTIC_MODEL}.
 *   <li>Otherwise the original failure reaches the caller ({@link CircuitOpenException} when the
 *       circuit was open and nothing was tried).
 * </ol>
 *
 * With one upstream this is the chain as it always was: an open circuit skips step 1.
 */
@ApplicationScoped
public class FallbackChain {

  /** The model name of the deterministic answer. */
  public static final String DETERMINISTIC_MODEL = "warden-fallback";

  private static final Logger LOG = Logger.getLogger(FallbackChain.class.getName());

  static final String CHAIN = "warden.fallback.chain.";

  private final OpenAiTransport transport;
  private final Clock clock;
  private final CircuitState circuit;
  private final Upstreams upstreams;
  private final UpstreamCircuits circuits;
  private List<String> models;
  private Map<String, List<String>> chains;
  private Optional<String> answer;

  @Inject
  FallbackChain(
      OpenAiTransport transport,
      Clock clock,
      CircuitState circuit,
      Upstreams upstreams,
      UpstreamCircuits circuits) {
    this(transport, clock, circuit, upstreams, circuits, null, null, null);
  }

  /**
   * With the fallback {@code models} and deterministic {@code answer}, the default upstream only.
   */
  FallbackChain(
      OpenAiTransport transport,
      Clock clock,
      CircuitState circuit,
      List<String> models,
      Optional<String> answer) {
    this(
        transport,
        clock,
        circuit,
        Upstreams.only(OpenAiSettings.from(new Settings(k -> Optional.empty(), List.of()))),
        new UpstreamCircuits(clock),
        models,
        Map.of(),
        answer);
  }

  /**
   * With the fallback {@code models}, the chains of single models ({@code chains}) and the
   * deterministic {@code answer}; {@code null}: read from the configuration when the bean starts.
   */
  FallbackChain(
      OpenAiTransport transport,
      Clock clock,
      CircuitState circuit,
      Upstreams upstreams,
      UpstreamCircuits circuits,
      List<String> models,
      Map<String, List<String>> chains,
      Optional<String> answer) {
    this.transport = transport;
    this.clock = clock;
    this.circuit = circuit;
    this.upstreams = upstreams;
    this.circuits = circuits;
    this.models = models;
    this.chains = chains;
    this.answer = answer;
  }

  /** For CDI's client proxy. */
  protected FallbackChain() {
    this(null, null, null, null, null, null, null, null);
  }

  @PostConstruct
  void init() {
    if (models == null) {
      Settings s = ConfigProducer.settings();
      models = s.list("warden.fallback.models");
      answer = s.string("warden.fallback.answer");
      Map<String, List<String>> perModel = new HashMap<>();
      for (String name : s.names()) {
        if (name.startsWith(CHAIN) && name.length() > CHAIN.length()) {
          perModel.put(name.substring(CHAIN.length()), s.list(name));
        }
      }
      chains = Map.copyOf(perModel);
    }
    // an entry naming an unknown upstream fails the start, not a call
    models.forEach(upstreams::target);
    chains.values().forEach(chain -> chain.forEach(upstreams::target));
  }

  /** The fallback entries of {@code requestedModel}: its own chain, else the common one. */
  List<String> chainOf(String requestedModel) {
    List<String> own = requestedModel == null ? null : chains.get(requestedModel);
    return own != null ? own : models;
  }

  /** Idempotency key of one fallback entry: {@code <call key>:<model>[@<upstream>]}. */
  private static String keyOf(CallContext call, String entry) {
    return call.idempotencyKey() + ":" + entry;
  }

  ChatCompletion chat(ChatCompletionRequest request, CallContext call) {
    return run(
        call,
        request.model(),
        (entry, target) ->
            entry.indexOf('@') < 0
                ? transport.chat(request.withModel(target.model()), keyOf(call, entry))
                : transport.chat(target, request.withModel(target.model()), keyOf(call, entry)),
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
        (entry, target) ->
            entry.indexOf('@') < 0
                ? transport.createResponse(request.withModel(target.model()), keyOf(call, entry))
                : transport.createResponse(
                    target, request.withModel(target.model()), keyOf(call, entry)),
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
            (entry, target) ->
                entry.indexOf('@') < 0
                    ? transport.openChatStream(
                        request.withModel(target.model()), keyOf(call, entry))
                    : transport.openChatStream(
                        target, request.withModel(target.model()), keyOf(call, entry)),
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
            (entry, target) ->
                entry.indexOf('@') < 0
                    ? transport.openResponseStream(
                        request.withModel(target.model()), keyOf(call, entry))
                    : transport.openResponseStream(
                        target, request.withModel(target.model()), keyOf(call, entry)),
            accumulator),
        stream -> null,
        () ->
            ResilientOpenAi.readFirst(
                UpstreamStream.of(DeterministicStreams.response(deterministicResponse(request))),
                accumulator.get()));
  }

  /** One fallback model's stream: opened by {@code open}, its first event read. */
  private static BiFunction<String, Upstreams.Target, Exchange<OpenStream>> streamFrom(
      BiFunction<String, Upstreams.Target, UpstreamStream> open,
      Supplier<StreamAccumulator> accumulator) {
    return (entry, target) -> {
      OpenStream stream = ResilientOpenAi.readFirst(open.apply(entry, target), accumulator.get());
      return new Exchange<>(stream, 200, stream.stream().requestId(), stream.stream().upstream());
    };
  }

  private <T> T run(
      CallContext call,
      String requestedModel,
      BiFunction<String, Upstreams.Target, Exchange<T>> callModel,
      Function<T, String> snapshot,
      Supplier<T> deterministic) {
    if (call.attempts() == 0) {
      circuit.observedOpen(); // the fallback runs without an attempt: the breaker is open
    }
    if (call.callerOwnsResilience()) {
      throw finalFailure(call); // the caller's own @Fallback answers, not this chain
    }
    Upstreams.Target primary = upstreams.route(requestedModel);
    for (String entry : chainOf(requestedModel)) {
      Upstreams.Target target = upstreams.target(entry);
      Upstream upstream = target.upstream();
      String model = target.model();
      boolean samePlace = upstream.name().equals(primary.upstream().name());
      if (samePlace && model.equals(requestedModel)) {
        continue; // the requested model itself
      }
      if (samePlace && call.attempts() == 0) {
        continue; // its breaker is open: that upstream counts as down, for every model
      }
      // the requested model's upstream is guarded by the operation's breaker; others by their own
      if (!samePlace && !circuits.allows(upstream)) {
        LOG.info(
            () ->
                String.format(
                    "WARDEN0114I: call %s skips fallback %s: the circuit of upstream %s is open",
                    call.requestId(), target.label(), upstream.name()));
        continue;
      }
      call.upstream().beginFallback();
      try {
        Exchange<T> exchange = callModel.apply(entry, target);
        if (!samePlace) {
          circuits.succeeded(upstream);
        }
        String answeredUpstream =
            exchange.upstream() != null ? exchange.upstream() : upstream.name();
        call.upstream()
            .answered(
                model,
                snapshot.apply(exchange.body()),
                exchange.requestId(),
                FallbackKind.MODEL,
                answeredUpstream);
        LOG.info(
            () ->
                String.format(
                    "WARDEN0111I: call %s answered by fallback model %s on upstream %s",
                    call.requestId(), model, answeredUpstream));
        return exchange.body();
      } catch (OpenAiException e) {
        if (!samePlace && e.isRetriable()) {
          circuits.failed(upstream);
        } else if (!samePlace) {
          circuits.released(upstream);
        }
        LOG.info(
            () ->
                String.format(
                    "WARDEN0112I: call %s fallback model %s on upstream %s failed: %s status=%d",
                    call.requestId(),
                    model,
                    upstream.name(),
                    e.getClass().getSimpleName(),
                    e.status()));
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
