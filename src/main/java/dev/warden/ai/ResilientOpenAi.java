package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.FallbackKind;
import dev.warden.call.ResilienceScope;
import dev.warden.config.ConfigProducer;
import dev.warden.openai.Exchange;
import dev.warden.openai.OpenAiTransport;
import dev.warden.openai.UpstreamRateLimits;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NonRetriableOpenAiException;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.error.RetriableOpenAiException;
import dev.warden.openai.error.UpstreamRateLimitedException;
import dev.warden.openai.error.UpstreamTimeoutException;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.BatchList;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ConversationItemsRequest;
import dev.warden.openai.model.ConversationObject;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateConversationRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.model.FileList;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.model.ModelList;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.openai.model.UpdateConversationRequest;
import dev.warden.openai.stream.StreamAccumulator;
import dev.warden.openai.stream.UpstreamStream;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The injectable OpenAI client with MicroProfile Fault Tolerance: the one layer that retries.
 *
 * <p>Every operation has {@code @Retry} (retriable failures only: {@link RetriableOpenAiException};
 * a {@link NonRetriableOpenAiException} such as 400, 401 or {@code insufficient_quota} is never
 * retried), {@code @Timeout} (a backstop above the per-model read timeouts) and its own
 * {@code @CircuitBreaker}. Chat completions and responses also have {@code @Fallback} to the
 * configured chain ({@link FallbackChain}).
 *
 * <p>MicroProfile's own retry delay is zero: the wait is chosen by {@link Backoff} — the server's
 * {@code Retry-After}/{@code retry-after-ms} when it sent one, capped, else exponential with jitter
 * — and taken by the {@link Sleeper} at the start of the next attempt. Before every attempt of a
 * call to a model, the upstream's own rate-limit headers are heeded ({@link UpstreamRateLimits}):
 * when its last answer left (nearly) nothing of a limit, the attempt waits for the announced reset
 * through the same {@link Sleeper}, or is refused at once ({@link UpstreamRateLimitedException})
 * when that is too far away. The {@link CallContext} argument carries the idempotency key (the same
 * on every attempt) and reports attempts, delays, the answering model and the fallback used.
 * Override any annotation value with MicroProfile Config, e.g. {@code
 * dev.warden.ai.ResilientOpenAi/Retry/maxRetries=5} or {@code
 * dev.warden.ai.ResilientOpenAi/chat/CircuitBreaker/delay=30000}.
 *
 * <p>A call whose caller guards it with its own Fault Tolerance ({@link ResilienceScope}: an
 * {@code @AiService} method with MicroProfile Fault Tolerance annotations) makes one attempt and
 * gets no fallback chain: only one layer retries.
 *
 * <p>Most applications inject {@link OpenAi} instead, which creates the context.
 */
@ApplicationScoped
@Retry(
    maxRetries = 3,
    delay = 0,
    jitter = 0,
    maxDuration = 30,
    durationUnit = ChronoUnit.MINUTES,
    retryOn = RetriableOpenAiException.class,
    abortOn = {NonRetriableOpenAiException.class, CallerGuardedFailure.class})
@Timeout(value = 12, unit = ChronoUnit.MINUTES)
@CircuitBreaker(
    requestVolumeThreshold = 20,
    failureRatio = 0.5,
    delay = 10,
    delayUnit = ChronoUnit.SECONDS,
    successThreshold = 2,
    failOn = {RetriableOpenAiException.class, TimeoutException.class, CallerGuardedFailure.class},
    skipOn = NonRetriableOpenAiException.class)
public class ResilientOpenAi {

  private static final Logger LOG = Logger.getLogger(ResilientOpenAi.class.getName());

  private final OpenAiTransport transport;
  private final Sleeper sleeper;
  private final FallbackChain fallbackChain;
  private final UpstreamRateLimits rateLimits;
  private Backoff backoff;

  @Inject
  ResilientOpenAi(
      OpenAiTransport transport,
      Sleeper sleeper,
      FallbackChain fallbackChain,
      UpstreamRateLimits rateLimits) {
    this(transport, sleeper, fallbackChain, null, rateLimits);
  }

  /**
   * With {@code backoff}; {@code null}: read from the configuration when the bean starts. No
   * pacing.
   */
  ResilientOpenAi(
      OpenAiTransport transport, Sleeper sleeper, FallbackChain fallbackChain, Backoff backoff) {
    this(transport, sleeper, fallbackChain, backoff, null);
  }

  /** With {@code backoff} and the upstream's rate limits ({@code null}: no pacing). */
  ResilientOpenAi(
      OpenAiTransport transport,
      Sleeper sleeper,
      FallbackChain fallbackChain,
      Backoff backoff,
      UpstreamRateLimits rateLimits) {
    this.transport = transport;
    this.sleeper = sleeper;
    this.fallbackChain = fallbackChain;
    this.backoff = backoff;
    this.rateLimits = rateLimits;
  }

  /** For CDI's client proxy. */
  protected ResilientOpenAi() {
    this(null, null, null, null, null);
  }

  @PostConstruct
  void init() {
    if (backoff == null) {
      backoff = Backoff.from(ConfigProducer.settings());
    }
  }

  @Fallback(
      fallbackMethod = "chatFallback",
      applyOn = {
        RetriableOpenAiException.class,
        CircuitBreakerOpenException.class,
        TimeoutException.class
      },
      skipOn = NonRetriableOpenAiException.class)
  public ChatCompletion chat(ChatCompletionRequest request, CallContext call) {
    return attempt(
        call,
        request.model(),
        () -> transport.chat(request, call.idempotencyKey()),
        ChatCompletion::model);
  }

  ChatCompletion chatFallback(ChatCompletionRequest request, CallContext call) {
    return fallbackChain.chat(request, call);
  }

  @Fallback(
      fallbackMethod = "createResponseFallback",
      applyOn = {
        RetriableOpenAiException.class,
        CircuitBreakerOpenException.class,
        TimeoutException.class
      },
      skipOn = NonRetriableOpenAiException.class)
  public ModelResponse createResponse(CreateResponseRequest request, CallContext call) {
    return attempt(
        call,
        request.model(),
        () -> transport.createResponse(request, call.idempotencyKey()),
        ModelResponse::model);
  }

  ModelResponse createResponseFallback(CreateResponseRequest request, CallContext call) {
    return fallbackChain.createResponse(request, call);
  }

  /**
   * Opens a chat completion stream and reads its first event. Everything up to and including the
   * first event is retried and falls back like {@link #chat}; the caller has seen nothing yet.
   *
   * @param accumulator a fresh accumulator per attempt
   */
  @Fallback(
      fallbackMethod = "openChatStreamFallback",
      applyOn = {
        RetriableOpenAiException.class,
        CircuitBreakerOpenException.class,
        TimeoutException.class
      },
      skipOn = NonRetriableOpenAiException.class)
  public OpenStream openChatStream(
      ChatCompletionRequest request, Supplier<StreamAccumulator> accumulator, CallContext call) {
    return attemptStream(
        call,
        request.model(),
        () -> transport.openChatStream(request, call.idempotencyKey()),
        accumulator);
  }

  OpenStream openChatStreamFallback(
      ChatCompletionRequest request, Supplier<StreamAccumulator> accumulator, CallContext call) {
    return fallbackChain.openChatStream(request, accumulator, call);
  }

  /** Opens a Responses API stream and reads its first event; see {@link #openChatStream}. */
  @Fallback(
      fallbackMethod = "openResponseStreamFallback",
      applyOn = {
        RetriableOpenAiException.class,
        CircuitBreakerOpenException.class,
        TimeoutException.class
      },
      skipOn = NonRetriableOpenAiException.class)
  public OpenStream openResponseStream(
      CreateResponseRequest request, Supplier<StreamAccumulator> accumulator, CallContext call) {
    return attemptStream(
        call,
        request.model(),
        () -> transport.openResponseStream(request, call.idempotencyKey()),
        accumulator);
  }

  OpenStream openResponseStreamFallback(
      CreateResponseRequest request, Supplier<StreamAccumulator> accumulator, CallContext call) {
    return fallbackChain.openResponseStream(request, accumulator, call);
  }

  public ModelResponse retrieveResponse(String id, CallContext call) {
    return attempt(call, null, () -> transport.retrieveResponse(id), ModelResponse::model);
  }

  public DeletedObject deleteResponse(String id, CallContext call) {
    return attempt(call, null, () -> transport.deleteResponse(id), none());
  }

  public ModelResponse cancelResponse(String id, CallContext call) {
    return attempt(call, null, () -> transport.cancelResponse(id), ModelResponse::model);
  }

  public ResponseItemList listInputItems(
      String id, String after, Integer limit, String order, CallContext call) {
    return attempt(call, null, () -> transport.listInputItems(id, after, limit, order), none());
  }

  public ConversationObject createConversation(
      CreateConversationRequest request, CallContext call) {
    return attempt(
        call, null, () -> transport.createConversation(request, call.idempotencyKey()), none());
  }

  public ConversationObject retrieveConversation(String id, CallContext call) {
    return attempt(call, null, () -> transport.retrieveConversation(id), none());
  }

  public ConversationObject updateConversation(
      String id, UpdateConversationRequest request, CallContext call) {
    return attempt(call, null, () -> transport.updateConversation(id, request), none());
  }

  public DeletedObject deleteConversation(String id, CallContext call) {
    return attempt(call, null, () -> transport.deleteConversation(id), none());
  }

  public ResponseItemList createConversationItems(
      String id, ConversationItemsRequest request, CallContext call) {
    return attempt(
        call,
        null,
        () -> transport.createConversationItems(id, request, call.idempotencyKey()),
        none());
  }

  public ResponseItemList listConversationItems(
      String id, String after, Integer limit, String order, CallContext call) {
    return attempt(
        call, null, () -> transport.listConversationItems(id, after, limit, order), none());
  }

  public ResponseItem retrieveConversationItem(String id, String itemId, CallContext call) {
    return attempt(call, null, () -> transport.retrieveConversationItem(id, itemId), none());
  }

  public ConversationObject deleteConversationItem(String id, String itemId, CallContext call) {
    return attempt(call, null, () -> transport.deleteConversationItem(id, itemId), none());
  }

  public EmbeddingResponse embeddings(EmbeddingRequest request, CallContext call) {
    return attempt(
        call,
        request.model(),
        () -> transport.embeddings(request, call.idempotencyKey()),
        EmbeddingResponse::model);
  }

  public ModelList listModels(CallContext call) {
    return attempt(call, null, transport::listModels, none());
  }

  public FileObject uploadFile(String filename, byte[] content, String purpose, CallContext call) {
    return attempt(
        call,
        null,
        () -> transport.uploadFile(filename, content, purpose, call.idempotencyKey()),
        none());
  }

  public FileList listFiles(
      String purpose, Integer limit, String order, String after, CallContext call) {
    return attempt(call, null, () -> transport.listFiles(purpose, limit, order, after), none());
  }

  public FileObject retrieveFile(String fileId, CallContext call) {
    return attempt(call, null, () -> transport.retrieveFile(fileId), none());
  }

  public DeletedObject deleteFile(String fileId, CallContext call) {
    return attempt(call, null, () -> transport.deleteFile(fileId), none());
  }

  public byte[] fileContent(String fileId, CallContext call) {
    return attempt(call, null, () -> transport.fileContent(fileId), none());
  }

  public Batch createBatch(CreateBatchRequest request, CallContext call) {
    return attempt(call, null, () -> transport.createBatch(request, call.idempotencyKey()), none());
  }

  public Batch retrieveBatch(String id, CallContext call) {
    return attempt(call, null, () -> transport.retrieveBatch(id), none());
  }

  public Batch cancelBatch(String id, CallContext call) {
    return attempt(call, null, () -> transport.cancelBatch(id), none());
  }

  public BatchList listBatches(String after, Integer limit, CallContext call) {
    return attempt(call, null, () -> transport.listBatches(after, limit), none());
  }

  private static <T> Function<T, String> none() {
    return body -> null;
  }

  /**
   * One attempt: wait first if it is a retry, then as long as the upstream's rate-limit headers ask
   * for {@code model}, then call, and record the outcome in the context.
   */
  private <T> T attempt(
      CallContext call, String model, Supplier<Exchange<T>> action, Function<T, String> snapshot) {
    int attempt = call.upstream().begin();
    if (attempt > 1) {
      pause(call, attempt - 1);
    }
    try {
      pace(call, model);
      Exchange<T> exchange = action.get();
      call.upstream()
          .answered(
              call.requestedModel(),
              snapshot.apply(exchange.body()),
              exchange.requestId(),
              FallbackKind.NONE,
              exchange.upstream());
      return exchange.body();
    } catch (OpenAiException e) {
      call.upstream().failed(e);
      if (e.isRetriable() && call.callerOwnsResilience()) {
        throw new CallerGuardedFailure(e); // one attempt: the caller's own policy retries
      }
      if (e.isRetriable() && LOG.isLoggable(Level.INFO)) {
        LOG.info(
            String.format(
                "WARDEN0101I: call %s attempt %d failed: %s status=%d upstream-request=%s",
                call.requestId(),
                attempt,
                e.getClass().getSimpleName(),
                e.status(),
                e.requestId()));
      }
      throw e;
    }
  }

  private OpenStream attemptStream(
      CallContext call,
      String model,
      Supplier<UpstreamStream> open,
      Supplier<StreamAccumulator> accumulator) {
    return attempt(
        call,
        model,
        () -> {
          OpenStream stream = readFirst(open.get(), accumulator.get());
          return new Exchange<>(
              stream, 200, stream.stream().requestId(), stream.stream().upstream());
        },
        none());
  }

  /** Reads the first event; an error event at that point is an ordinary (retriable) failure. */
  static OpenStream readFirst(UpstreamStream stream, StreamAccumulator accumulator) {
    try {
      return new OpenStream(stream, accumulator, accumulator.accept(stream.next()));
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /**
   * Waits until the upstream's announced reset when its last answer for {@code model} left (nearly)
   * nothing of a limit; refuses at once when that is further away than the longest wait.
   */
  private void pace(CallContext call, String model) {
    if (rateLimits == null) {
      return;
    }
    UpstreamRateLimits.Pacing pacing = rateLimits.pacing(model);
    if (pacing.go()) {
      return;
    }
    if (pacing.refuse()) {
      LOG.fine(
          () ->
              String.format(
                  "WARDEN0105I: call %s refused: the upstream's %s limit for %s resets in %d ms",
                  call.requestId(), pacing.kind(), model, pacing.delay().toMillis()));
      throw new UpstreamRateLimitedException(pacing.kind(), pacing.delay());
    }
    LOG.fine(
        () ->
            String.format(
                "WARDEN0104I: call %s waits %d ms for the upstream's %s limit of %s to reset",
                call.requestId(), pacing.delay().toMillis(), pacing.kind(), model));
    try {
      sleeper.sleep(pacing.delay());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamTimeoutException(
          ErrorInfo.transport("interrupted while waiting for the upstream's rate limit"), e);
    }
  }

  private void pause(CallContext call, int retry) {
    Duration delay =
        backoff.delayBefore(
            retry, call.upstream().lastFailure(), ThreadLocalRandom.current()::nextDouble);
    call.upstream().delayed(delay);
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamTimeoutException(
          ErrorInfo.transport("interrupted while waiting to retry"), e);
    }
  }
}
