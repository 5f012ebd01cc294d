package dev.warden.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.CallContext;
import dev.warden.call.Caller;
import dev.warden.call.EntryPoint;
import dev.warden.call.FallbackKind;
import dev.warden.call.ResilienceScope;
import dev.warden.config.Settings;
import dev.warden.openai.Exchange;
import dev.warden.openai.OpenAiSettings;
import dev.warden.openai.OpenAiTransport;
import dev.warden.openai.UpstreamRateLimits;
import dev.warden.openai.credential.UpstreamCredential;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NonRetriableOpenAiException;
import dev.warden.openai.error.RateLimitException;
import dev.warden.openai.error.RetriableOpenAiException;
import dev.warden.openai.error.ServerErrorException;
import dev.warden.openai.error.UpstreamRateLimitedException;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.junit.jupiter.api.Test;

/**
 * One layer retries: {@link ResilientOpenAi}'s attempts under its own {@code @Retry} policy,
 * re-invoked here as MicroProfile Fault Tolerance would (same arguments, same context), with a fake
 * transport and a sleeper that records the waits.
 */
class ResilientOpenAiTest {

  private static final Backoff BACKOFF =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), 0, Duration.ofSeconds(30));

  private final List<Duration> slept = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();

  /** What each attempt meets, in order: a failure to throw or an answer. */
  private final Deque<Object> script = new ArrayDeque<>();

  private final OpenAiTransport transport =
      new OpenAiTransport() {
        @Override
        public Exchange<ChatCompletion> chat(ChatCompletionRequest request, String key) {
          keys.add(key);
          Object next = script.removeFirst();
          if (next instanceof RuntimeException e) {
            throw e;
          }
          return new Exchange<>((ChatCompletion) next, 200, "req_" + keys.size());
        }
      };

  private final ResilientOpenAi client = new ResilientOpenAi(transport, slept::add, null, BACKOFF);

  private static final ChatCompletionRequest REQUEST =
      ChatCompletionRequest.builder()
          .model("gpt-4o-mini")
          .messages(List.of(ChatMessage.user("Hello")))
          .build();

  private static ChatCompletion answer() {
    return new ChatCompletion(
        "chatcmpl-1",
        "chat.completion",
        1L,
        "gpt-4o-mini-2024-07-18",
        List.of(new ChatChoice(0, ChatMessage.assistant("Hi"), "stop", null)),
        null,
        null,
        null);
  }

  private static CallContext call() {
    return new CallContext(Caller.of("dora"), EntryPoint.CDI, "gpt-4o-mini", Clock.systemUTC());
  }

  private static ServerErrorException serverError() {
    return new ServerErrorException(ErrorInfo.of(500, "boom"), null);
  }

  /** Invokes {@code action} as MicroProfile Fault Tolerance does under the class's @Retry. */
  private static <T> T withRetry(Supplier<T> action) {
    Retry retry = ResilientOpenAi.class.getAnnotation(Retry.class);
    int retries = 0;
    while (true) {
      try {
        return action.get();
      } catch (RuntimeException e) {
        boolean abort = Arrays.stream(retry.abortOn()).anyMatch(c -> c.isInstance(e));
        boolean retriable = Arrays.stream(retry.retryOn()).anyMatch(c -> c.isInstance(e));
        if (abort || !retriable || retries == retry.maxRetries()) {
          throw e;
        }
        retries++;
      }
    }
  }

  @Test
  void aCallWaitsForTheUpstreamsResetWhenItsLastAnswerLeftNothingAndIsRefusedBeyondTheMaximum() {
    Instant[] now = {Instant.parse("2026-12-01T10:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    UpstreamRateLimits limits =
        new UpstreamRateLimits(
            OpenAiSettings.from(new Settings(k -> Optional.empty(), Set.of())),
            () -> UpstreamCredential.bearer("sk-test"),
            clock,
            true,
            0.01,
            Duration.ofSeconds(5));
    ResilientOpenAi paced = new ResilientOpenAi(transport, slept::add, null, BACKOFF, limits);
    limits.observe(
        "gpt-4o-mini",
        Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1.2s")::get);
    script.add(answer());

    paced.chat(REQUEST, call());

    assertThat(slept).containsExactly(Duration.ofMillis(1200));
    assertThat(keys).hasSize(1);

    limits.observe(
        "gpt-4o-mini",
        Map.of("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s")::get);
    UpstreamRateLimitedException refused =
        (UpstreamRateLimitedException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> withRetry(() -> paced.chat(REQUEST, call())));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("rate_limit_exceeded");
    assertThat(refused.type()).isEqualTo("tokens");
    assertThat(refused.retryAfter()).contains(Duration.ofMinutes(6));
    assertThat(keys).hasSize(1); // nothing was sent
    assertThat(slept).hasSize(1);
  }

  @Test
  void theRetryPolicyRetriesRetriableFailuresOnlyWithoutItsOwnDelay() {
    Retry retry = ResilientOpenAi.class.getAnnotation(Retry.class);

    assertThat(retry.retryOn()).containsExactly(RetriableOpenAiException.class);
    assertThat(retry.abortOn())
        .containsExactlyInAnyOrder(NonRetriableOpenAiException.class, CallerGuardedFailure.class);
    assertThat(retry.delay()).isZero(); // the wait is the Backoff's, taken by the Sleeper
    assertThat(retry.maxRetries()).isEqualTo(3);
  }

  @Test
  void aRetriableFailureIsRetriedAfterTheExponentialBackoff() {
    script.add(serverError());
    script.add(serverError());
    script.add(answer());
    CallContext call = call();

    ChatCompletion answer = withRetry(() -> client.chat(REQUEST, call));

    assertThat(answer.firstText()).isEqualTo("Hi");
    assertThat(call.attempts()).isEqualTo(3);
    assertThat(slept).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(call.delays()).isEqualTo(slept);
    assertThat(call.answeredBy()).isEqualTo("gpt-4o-mini");
    assertThat(call.modelSnapshot()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(call.upstreamRequestId()).isEqualTo("req_3");
    assertThat(call.fallback()).isEqualTo(FallbackKind.NONE);
    // every attempt carries the call's one idempotency key
    assertThat(keys).containsOnly(call.idempotencyKey()).hasSize(3);
  }

  @Test
  void theServersRetryAfterIsHonoured() {
    script.add(
        new RateLimitException(
            new ErrorInfo(429, "slow down", null, null, null, null, Duration.ofSeconds(3)), null));
    script.add(answer());
    CallContext call = call();

    withRetry(() -> client.chat(REQUEST, call));

    assertThat(slept).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aNonRetriableFailureIsNotRetried() {
    script.add(new BadRequestException(ErrorInfo.of(400, "bad"), null));
    script.add(answer());
    CallContext call = call();

    assertThatThrownBy(() -> withRetry(() -> client.chat(REQUEST, call)))
        .isInstanceOf(BadRequestException.class);

    assertThat(call.attempts()).isEqualTo(1);
    assertThat(slept).isEmpty();
    assertThat(call.upstream().lastFailure()).isInstanceOf(BadRequestException.class);
  }

  @Test
  void theRetriesEndAfterMaxRetries() {
    for (int i = 0; i < 5; i++) {
      script.add(serverError());
    }
    CallContext call = call();

    assertThatThrownBy(() -> withRetry(() -> client.chat(REQUEST, call)))
        .isInstanceOf(ServerErrorException.class);

    assertThat(call.attempts()).isEqualTo(4);
    assertThat(slept).hasSize(3);
  }

  @Test
  void aCallerThatOwnsItsResilienceGetsOneAttempt() {
    script.add(serverError());
    script.add(answer());
    CallContext call = ResilienceScope.callerOwned(ResilientOpenAiTest::call);

    assertThatThrownBy(() -> withRetry(() -> client.chat(REQUEST, call)))
        .isInstanceOf(CallerGuardedFailure.class)
        .satisfies(
            e ->
                assertThat(CallerGuardedFailure.unwrap((RuntimeException) e))
                    .isInstanceOf(ServerErrorException.class));

    assertThat(call.attempts()).isEqualTo(1);
    assertThat(slept).isEmpty();
  }
}
