package dev.warden.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.CallContext;
import dev.warden.call.Caller;
import dev.warden.call.CircuitState;
import dev.warden.call.EntryPoint;
import dev.warden.call.FallbackKind;
import dev.warden.config.Settings;
import dev.warden.openai.Exchange;
import dev.warden.openai.OpenAiSettings;
import dev.warden.openai.OpenAiTransport;
import dev.warden.openai.Upstreams;
import dev.warden.openai.error.ConnectionException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.ServerErrorException;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A fallback chain that crosses upstreams, with a fake transport and a clock of its own. */
class CrossUpstreamFallbackTest {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  /** {@code model@upstream} the fake upstreams fail for. */
  private final Set<String> down = new HashSet<>();

  /** What was sent: {@code upstream-model@upstream}. */
  private final List<String> sent = new ArrayList<>();

  private final OpenAiTransport transport =
      new OpenAiTransport() {
        @Override
        public Exchange<ChatCompletion> chat(ChatCompletionRequest request, String key) {
          return chat(upstreams.route(request.model()), request, key);
        }

        @Override
        public Exchange<ChatCompletion> chat(
            Upstreams.Target target, ChatCompletionRequest request, String key) {
          sent.add(target.upstreamModel() + "@" + target.upstream().name());
          if (down.contains(target.label())) {
            throw new ServerErrorException(ErrorInfo.of(503, "down"), null);
          }
          return new Exchange<>(
              answer(target.upstreamModel()), 200, "req_" + sent.size(), target.upstream().name());
        }
      };

  private final Upstreams upstreams;
  private final UpstreamCircuits circuits = new UpstreamCircuits(clock);

  CrossUpstreamFallbackTest() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("warden.upstreams", "openai, azure, local");
    config.put("warden.upstream.azure.kind", "azure");
    config.put("warden.upstream.azure.base-url", "https://contoso.openai.azure.com");
    config.put("warden.upstream.azure.api-version", "2024-10-21");
    config.put("warden.upstream.azure.models", "gpt-4o-mini=mini-prod");
    config.put("warden.upstream.azure.circuit-failures", "2");
    config.put("warden.upstream.azure.circuit-delay", "PT30S");
    config.put("warden.upstream.local.kind", "openai-compatible");
    config.put("warden.upstream.local.base-url", "http://llm.internal:8000/v1");
    config.put("warden.upstream.local.models", "llama=llama3.1:8b");
    Settings s = new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet());
    upstreams = Upstreams.from(s, OpenAiSettings.from(s));
  }

  private static ChatCompletion answer(String model) {
    return new ChatCompletion(
        "chatcmpl-1",
        "chat.completion",
        1L,
        model,
        List.of(new ChatChoice(0, ChatMessage.assistant("Hi"), "stop", null)),
        null,
        null,
        null);
  }

  private static final ChatCompletionRequest REQUEST =
      ChatCompletionRequest.builder()
          .model("gpt-4o-mini")
          .messages(List.of(ChatMessage.user("Hello")))
          .build();

  private static final List<String> CHAIN =
      List.of("gpt-4o-mini@openai", "gpt-4o-mini@azure", "llama@local");

  private FallbackChain chain(List<String> common, Map<String, List<String>> perModel) {
    FallbackChain chain =
        new FallbackChain(
            transport,
            clock,
            new CircuitState() {
              @Override
              public void observedOpen() {}
            },
            upstreams,
            circuits,
            common,
            perModel,
            Optional.of("Sorry"));
    chain.init();
    return chain;
  }

  private CallContext call() {
    return new CallContext(Caller.of("dora"), EntryPoint.CDI, "gpt-4o-mini", clock);
  }

  private static CallContext failedOnce(CallContext call) {
    call.upstream().begin();
    call.upstream().failed(new ConnectionException(ErrorInfo.transport("refused"), null));
    return call;
  }

  @Test
  void theChainMovesAcrossUpstreamsUntilOneAnswers() {
    down.add("gpt-4o-mini@azure");
    CallContext call = failedOnce(call());

    ChatCompletion answer = chain(List.of(), Map.of("gpt-4o-mini", CHAIN)).chat(REQUEST, call);

    // the requested model on its own upstream is skipped; each upstream gets its own model name
    assertThat(sent).containsExactly("mini-prod@azure", "llama3.1:8b@local");
    assertThat(answer.model()).isEqualTo("llama3.1:8b");
    assertThat(call.fallback()).isEqualTo(FallbackKind.MODEL);
    assertThat(call.answeredBy()).isEqualTo("llama");
    assertThat(call.answeredUpstream()).isEqualTo("local");
    assertThat(call.routeReason())
        .isEqualTo(
            "requested; fallback: model llama on upstream local after an outage,"
                + " gpt-4o-mini failed (ConnectionException)");
  }

  @Test
  void aModelsOwnChainWinsOverTheCommonOne() {
    CallContext call = failedOnce(call());

    chain(List.of("llama@local"), Map.of("gpt-4o-mini", List.of("gpt-4o-mini@azure")))
        .chat(REQUEST, call);
    assertThat(sent).containsExactly("mini-prod@azure");
    assertThat(call.answeredUpstream()).isEqualTo("azure");

    sent.clear();
    CallContext other =
        failedOnce(new CallContext(Caller.of("dora"), EntryPoint.CDI, "gpt-4.1", clock));
    chain(List.of("llama@local"), Map.of("gpt-4o-mini", List.of("gpt-4o-mini@azure")))
        .chat(REQUEST.withModel("gpt-4.1"), other);
    assertThat(sent).containsExactly("llama3.1:8b@local");
  }

  @Test
  void anOpenCircuitSkipsOnlyTheEntriesOnTheFailingUpstream() {
    CallContext call = call(); // no attempt: the breaker of the requested model's upstream is open

    chain(List.of(), Map.of("gpt-4o-mini", List.of("gpt-4o@openai", "gpt-4o-mini@azure")))
        .chat(REQUEST, call);

    assertThat(sent).containsExactly("mini-prod@azure");
    assertThat(call.answeredUpstream()).isEqualTo("azure");
  }

  @Test
  void withOneUpstreamAnOpenCircuitStillTriesNoModel() {
    CallContext call = call();

    ChatCompletion answer = chain(List.of("gpt-4o", "gpt-4.1"), Map.of()).chat(REQUEST, call);

    assertThat(sent).isEmpty();
    assertThat(answer.model()).isEqualTo(FallbackChain.DETERMINISTIC_MODEL);
    assertThat(call.answeredUpstream()).isNull();
  }

  @Test
  void anUpstreamThatKeepsFailingIsSkippedUntilItsDelayHasPassed() {
    down.add("gpt-4o-mini@azure");
    FallbackChain chain = chain(List.of(), Map.of("gpt-4o-mini", CHAIN));

    chain.chat(REQUEST, failedOnce(call()));
    chain.chat(REQUEST, failedOnce(call()));
    assertThat(sent)
        .containsExactly(
            "mini-prod@azure", "llama3.1:8b@local", "mini-prod@azure", "llama3.1:8b@local");

    // two failures in a row: azure's circuit is open, the chain goes straight to local
    sent.clear();
    chain.chat(REQUEST, failedOnce(call()));
    assertThat(sent).containsExactly("llama3.1:8b@local");

    // after the delay one trial goes through; it succeeds and closes the circuit
    now = now.plus(Duration.ofSeconds(31));
    down.clear();
    sent.clear();
    CallContext call = failedOnce(call());
    chain.chat(REQUEST, call);
    assertThat(sent).containsExactly("mini-prod@azure");
    assertThat(call.answeredUpstream()).isEqualTo("azure");
    assertThat(circuits.isOpen(upstreams.get("azure").orElseThrow())).isFalse();
  }

  @Test
  void aChainNamingAnUnknownUpstreamFailsTheStart() {
    assertThatThrownBy(() -> chain(List.of("gpt-4o@nowhere"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no upstream named nowhere");
  }
}
