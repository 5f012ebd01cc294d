package dev.warden.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.CallContext;
import dev.warden.call.Caller;
import dev.warden.call.CircuitState;
import dev.warden.call.EntryPoint;
import dev.warden.call.FallbackKind;
import dev.warden.call.ResilienceScope;
import dev.warden.openai.Exchange;
import dev.warden.openai.OpenAiTransport;
import dev.warden.openai.error.CircuitOpenException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.ServerErrorException;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What answers after the requested model failed or its circuit is open, with a fake transport. */
class FallbackChainTest {

  /** The models the fake upstream fails for. */
  private final Set<String> down = new java.util.HashSet<>(Set.of("gpt-4o"));

  private final List<String> tried = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();
  private int circuitSeenOpen;

  private final OpenAiTransport transport =
      new OpenAiTransport() {
        @Override
        public Exchange<ChatCompletion> chat(ChatCompletionRequest request, String key) {
          tried.add(request.model());
          keys.add(key);
          if (down.contains(request.model())) {
            throw new ServerErrorException(ErrorInfo.of(503, "down"), null);
          }
          return new Exchange<>(answer(request.model() + "-2024"), 200, "req_fallback");
        }
      };

  private final CircuitState circuit =
      new CircuitState() {
        @Override
        public void observedOpen() {
          circuitSeenOpen++;
        }
      };

  private static final ChatCompletionRequest REQUEST =
      ChatCompletionRequest.builder()
          .model("gpt-4o")
          .messages(List.of(ChatMessage.user("Hello")))
          .build();

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

  private FallbackChain chain(List<String> models, String answer) {
    return new FallbackChain(
        transport, Clock.systemUTC(), circuit, models, Optional.ofNullable(answer));
  }

  private static CallContext call() {
    return new CallContext(Caller.of("dora"), EntryPoint.CDI, "gpt-4o", Clock.systemUTC());
  }

  /** A call whose requested model was tried and failed (its retries spent). */
  private static CallContext failedOnce(CallContext call) {
    call.upstream().begin();
    call.upstream().failed(new ServerErrorException(ErrorInfo.of(503, "down"), null));
    return call;
  }

  @Test
  void theFirstFallbackModelThatAnswersIsUsedWhenThePrimaryFailed() {
    down.add("gpt-4.1");
    CallContext call = failedOnce(call());

    ChatCompletion answer =
        chain(List.of("gpt-4o", "gpt-4.1", "gpt-4o-mini"), "Sorry").chat(REQUEST, call);

    // the requested model is skipped, each fallback model tried once, in order
    assertThat(tried).containsExactly("gpt-4.1", "gpt-4o-mini");
    assertThat(answer.model()).isEqualTo("gpt-4o-mini-2024");
    assertThat(call.fallback()).isEqualTo(FallbackKind.MODEL);
    assertThat(call.answeredBy()).isEqualTo("gpt-4o-mini");
    assertThat(call.upstreamRequestId()).isEqualTo("req_fallback");
    assertThat(call.upstream().fallbackAttempts()).isEqualTo(2);
    assertThat(keys).allMatch(k -> k.startsWith(call.idempotencyKey() + ":"));
    assertThat(call.routeReason())
        .isEqualTo(
            "requested; fallback: model gpt-4o-mini after an outage, gpt-4o failed"
                + " (ServerErrorException)");
    assertThat(circuitSeenOpen).isZero();
  }

  @Test
  void theDeterministicAnswerComesWhenEveryFallbackModelFailed() {
    down.add("gpt-4o-mini");
    CallContext call = failedOnce(call());

    ChatCompletion answer = chain(List.of("gpt-4o-mini"), "We are busy").chat(REQUEST, call);

    assertThat(answer.firstText()).isEqualTo("We are busy");
    assertThat(answer.model()).isEqualTo(FallbackChain.DETERMINISTIC_MODEL);
    assertThat(call.fallback()).isEqualTo(FallbackKind.DETERMINISTIC);
    assertThat(call.answeredBy()).isEqualTo(FallbackChain.DETERMINISTIC_MODEL);
  }

  @Test
  void withoutAnyFallbackTheOriginalFailureReachesTheCaller() {
    down.add("gpt-4o-mini");
    CallContext call = failedOnce(call());

    assertThatThrownBy(() -> chain(List.of("gpt-4o-mini"), null).chat(REQUEST, call))
        .isSameAs(call.upstream().lastFailure());
  }

  @Test
  void anOpenCircuitSkipsTheFallbackModels() {
    CallContext call = call(); // no attempt: the breaker refused it

    ChatCompletion answer = chain(List.of("gpt-4o-mini"), "We are busy").chat(REQUEST, call);

    assertThat(tried).isEmpty();
    assertThat(circuitSeenOpen).isEqualTo(1);
    assertThat(answer.model()).isEqualTo(FallbackChain.DETERMINISTIC_MODEL);
    assertThat(call.routeReason())
        .isEqualTo(
            "requested; fallback: the deterministic answer after an outage, the circuit breaker"
                + " was open");
  }

  @Test
  void anOpenCircuitWithoutADeterministicAnswerFailsFast() {
    CallContext call = call();

    assertThatThrownBy(() -> chain(List.of("gpt-4o-mini"), null).chat(REQUEST, call))
        .isInstanceOf(CircuitOpenException.class);

    assertThat(tried).isEmpty();
  }

  @Test
  void aCallerThatOwnsItsResilienceGetsNoFallback() {
    CallContext call = failedOnce(ResilienceScope.callerOwned(FallbackChainTest::call));

    assertThatThrownBy(() -> chain(List.of("gpt-4o-mini"), "We are busy").chat(REQUEST, call))
        .isSameAs(call.upstream().lastFailure());

    assertThat(tried).isEmpty();
  }
}
