package dev.warden.cost;

import dev.warden.call.CallContext;
import dev.warden.call.Caller;
import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.call.refusal.ContextWindowRefusal;
import dev.warden.call.refusal.RateLimitRefusal;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admission stage of the pipeline, before anything is sent upstream. In order:
 *
 * <ol>
 *   <li>count the input tokens ({@link TokenCounter}) and refuse a request that cannot fit the
 *       model's context window: 400 {@code context_length_exceeded}, {@code param} {@code messages}
 *       or {@code input};
 *   <li>in-flight limits of the caller's principal, API key and tenant ({@link InFlightLimits}): a
 *       place for the call, given back when it finishes, or 429 {@code rate_limit_exceeded} when
 *       the limit's calls are all under way (not for deferred calls, which wait in a batch);
 *   <li>rate limits of the caller's principal, API key and tenant (requests and tokens per minute,
 *       tokens per day): 429 {@code rate_limit_exceeded} with {@code Retry-After};
 *   <li>reserve the worst case — counted input plus the largest output the call may produce (its
 *       {@code max_completion_tokens} / {@code max_tokens} / {@code max_output_tokens} times {@code
 *       n}, else the model's maximum, within the context window) at the model's input and output
 *       price — on every budget of the caller: 429 {@code budget_exceeded} when one does not fit.
 * </ol>
 *
 * The {@link Reservation} goes onto the {@link CallContext}, which settles it exactly once when the
 * call finishes (also on failure, fallback, refusal after admission, or a caller that left).
 */
@ApplicationScoped
public class Admission {

  private static final Logger LOG = Logger.getLogger(Admission.class.getName());

  @Inject ModelCatalog catalog;
  @Inject TokenCounter counter;
  @Inject PriceTable prices;
  @Inject Budgets budgets;
  @Inject RateLimitPolicy ratePolicy;
  @Inject RateLimits rateLimiter;
  @Inject InFlightLimits inFlight;
  @Inject Clock clock;

  private final Set<String> unpriced = ConcurrentHashMap.newKeySet();

  /**
   * Admits a chat completion; returns the request to continue with (with {@code prompt_cache_key}
   * when the call has a prompt version).
   *
   * @throws ContextWindowRefusal if it cannot fit the model's context window
   * @throws RateLimitRefusal if the caller is over a rate limit
   * @throws BudgetRefusal if its worst case does not fit a budget
   */
  public ChatCompletionRequest admit(ChatCompletionRequest request, CallContext call) {
    return admitChat(request, call, false);
  }

  /**
   * Admits a chat completion that goes through the Batch API ({@link dev.warden.ai.DeferredCalls}):
   * as {@link #admit(ChatCompletionRequest, CallContext)}, with the worst case reserved, and the
   * call settled, at the batch price.
   */
  public ChatCompletionRequest admitBatched(ChatCompletionRequest request, CallContext call) {
    return admitChat(request, call, true);
  }

  private ChatCompletionRequest admitChat(
      ChatCompletionRequest request, CallContext call, boolean batch) {
    Integer asked =
        request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens();
    int choices = request.n() == null ? 1 : Math.max(1, request.n());
    int input = counter.count(request);
    admit(call, request.model(), input, input, asked, choices, "messages", batch);
    return PromptCaching.keyed(request, call.promptId(), call.promptVersion());
  }

  /** Admits a Responses call; see {@link #admit(ChatCompletionRequest, CallContext)}. */
  public CreateResponseRequest admit(CreateResponseRequest request, CallContext call) {
    return admitResponse(request, call, false);
  }

  /**
   * Admits a Responses call that goes through the Batch API: as {@link
   * #admit(CreateResponseRequest, CallContext)}, at the batch price.
   */
  public CreateResponseRequest admitBatched(CreateResponseRequest request, CallContext call) {
    return admitResponse(request, call, true);
  }

  private CreateResponseRequest admitResponse(
      CreateResponseRequest request, CallContext call, boolean batch) {
    int input = counter.count(request);
    admit(call, request.model(), input, input, request.maxOutputTokens(), 1, "input", batch);
    return PromptCaching.keyed(request, call.promptId(), call.promptVersion());
  }

  /**
   * Admits an embeddings call: each input must fit the model's context window on its own (400
   * {@code context_length_exceeded}, {@code param} {@code input}); the rate limits count all
   * inputs; the reservation is all input tokens at the input price (embeddings produce no output
   * tokens).
   */
  public void admit(EmbeddingRequest request, CallContext call) {
    admitEmbeddings(request, call, false);
  }

  /**
   * Admits an embeddings call that goes through the Batch API: as {@link #admit(EmbeddingRequest,
   * CallContext)}, at the batch price.
   */
  public void admitBatched(EmbeddingRequest request, CallContext call) {
    admitEmbeddings(request, call, true);
  }

  private void admitEmbeddings(EmbeddingRequest request, CallContext call, boolean batch) {
    int[] each = counter.countEach(request);
    int total = 0;
    int largest = 0;
    for (int n : each) {
      total += n;
      largest = Math.max(largest, n);
    }
    admit(call, request.model(), total, largest, 0, 1, "input", batch);
  }

  /**
   * What one request of a batch input file may cost: its counted input tokens and the largest
   * output it may produce ({@link #admitBatch}).
   */
  public record LineEstimate(int inputTokens, long worstOutputTokens) {}

  /**
   * The estimate of a chat completion that is one line of a batch input file; refuses it, as a call
   * would be refused, when it cannot fit the model's context window.
   *
   * @throws ContextWindowRefusal if it cannot fit the model's context window
   */
  public LineEstimate estimate(ChatCompletionRequest request) {
    Integer asked =
        request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens();
    int choices = request.n() == null ? 1 : Math.max(1, request.n());
    int input = counter.count(request);
    return new LineEstimate(input, worstOutput(request.model(), input, asked, choices, "messages"));
  }

  /** The estimate of a Responses request in a batch input file; see {@link #estimate}. */
  public LineEstimate estimate(CreateResponseRequest request) {
    int input = counter.count(request);
    return new LineEstimate(
        input, worstOutput(request.model(), input, request.maxOutputTokens(), 1, "input"));
  }

  /** The estimate of an embeddings request in a batch input file; see {@link #estimate}. */
  public LineEstimate estimate(EmbeddingRequest request) {
    int total = 0;
    int largest = 0;
    for (int n : counter.countEach(request)) {
      total += n;
      largest = Math.max(largest, n);
    }
    worstOutput(request.model(), largest, 0, 1, "input");
    return new LineEstimate(total, 0);
  }

  /**
   * Admits a batch created through {@code /v1} from the estimates of its lines, all on {@code
   * model}: the rate limits count it as one request of {@code inputTokens} tokens; the worst case
   * ({@code inputTokens} and {@code worstOutputTokens} at the Batch API's price) is reserved on
   * every budget of the caller, and settled at the batch price.
   *
   * @throws RateLimitRefusal if the caller is over a rate limit
   * @throws BudgetRefusal if the worst case does not fit a budget
   */
  public void admitBatch(CallContext call, String model, long inputTokens, long worstOutputTokens) {
    Caller caller = call.caller();
    rateLimit("user", caller.principal(), inputTokens, null, null);
    if (caller.apiKeyId() != null) {
      rateLimit(
          "key",
          caller.apiKeyId(),
          inputTokens,
          caller.scope().requestsPerMinute(),
          caller.scope().tokensPerMinute());
    }
    Instant now = clock.instant();
    BigDecimal worstCase =
        cost(model, model, new TokenUsage(inputTokens, 0, worstOutputTokens, 0), now, true);
    call.admitted(
        new Reservation(
            model,
            (int) Math.min(Integer.MAX_VALUE, inputTokens),
            worstCase,
            budgets.reserveForCall(caller, worstCase, now, call.requestId()),
            now,
            this::batchCost,
            budgets::settle,
            budgets::disown));
  }

  /** The largest output of one request, after checking that it fits the context window. */
  private long worstOutput(String model, int input, Integer asked, int choices, String param) {
    ModelLimits limits = catalog.limits(model);
    Integer window = limits.contextWindow();
    long askedOutput = asked == null ? 0 : (long) asked;
    if (window != null && input + askedOutput > window) {
      throw new ContextWindowRefusal(window, input, askedOutput, param);
    }
    long worstOutput = (asked != null ? (long) asked : limits.maxOutput()) * choices;
    if (window != null) {
      worstOutput = Math.max(0, Math.min(worstOutput, (long) (window - input) * choices));
    }
    return worstOutput;
  }

  /**
   * @param input the tokens charged as input
   * @param windowInput the tokens that must fit the context window with the output
   */
  private void admit(
      CallContext call,
      String model,
      int input,
      int windowInput,
      Integer asked,
      int choices,
      String param,
      boolean batch) {
    // known now: the call's outbox row, which waits for it, can be written while admission goes on
    call.inputCounted(input);
    ModelLimits limits = catalog.limits(model);
    Integer window = limits.contextWindow();
    long askedOutput = asked == null ? 0 : (long) asked;
    if (window != null && windowInput + askedOutput > window) {
      throw new ContextWindowRefusal(window, windowInput, askedOutput, param);
    }
    long worstOutput = (asked != null ? (long) asked : limits.maxOutput()) * choices;
    if (window != null) {
      worstOutput = Math.max(0, Math.min(worstOutput, (long) (window - windowInput) * choices));
    }
    Caller caller = call.caller();
    if (!batch) {
      holdInFlight(call, "user", caller.principal());
      if (caller.apiKeyId() != null) {
        holdInFlight(call, "key", caller.apiKeyId());
      }
      if (caller.tenant() != null) {
        holdInFlight(call, "tenant", caller.tenant());
      }
    }
    rateLimit("user", caller.principal(), input + askedOutput * choices, null, null);
    if (caller.apiKeyId() != null) {
      rateLimit(
          "key",
          caller.apiKeyId(),
          input + askedOutput * choices,
          caller.scope().requestsPerMinute(),
          caller.scope().tokensPerMinute());
    }
    if (caller.tenant() != null) {
      rateLimit("tenant", caller.tenant(), input + askedOutput * choices, null, null);
    }
    Instant now = clock.instant();
    BigDecimal worstCase = cost(model, model, new TokenUsage(input, 0, worstOutput, 0), now, batch);
    call.admitted(
        new Reservation(
            model,
            input,
            worstCase,
            budgets.reserveForCall(caller, worstCase, now, call.requestId()),
            now,
            batch ? this::batchCost : this::cost,
            budgets::settle,
            budgets::disown));
  }

  /**
   * A reservation kept past its call ({@link Reservation#detach}), to settle now: at the batch
   * price ({@code batch}) or the list price, as of when it was made.
   */
  public Reservation resume(Reservation.Held held, boolean batch) {
    return new Reservation(
        held.model(),
        held.inputTokens(),
        held.reserved(),
        held.holds(),
        held.at(),
        batch ? this::batchCost : this::cost,
        budgets::settle,
        budgets::disown);
  }

  /**
   * Takes a place for {@code call} under the in-flight limit of {@code scope} {@code name}, if it
   * has one, given back when the call finishes; a place taken under another scope before a refusal
   * here is given back too, as the refused call finishes.
   */
  private void holdInFlight(CallContext call, String scope, String name) {
    long limit = ratePolicy.inFlight(scope, name);
    if (limit <= 0) {
      return;
    }
    String key = scope + "|" + name;
    if (!inFlight.tryAcquire(key, limit)) {
      LOG.log(
          Level.FINE,
          "WARDEN0636I: a call was refused: {0} {1} has {2} calls in flight, its limit",
          new Object[] {scope, name, limit});
      throw RateLimitRefusal.inFlight(named(scope), limit);
    }
    call.releaseWhenFinished(() -> inFlight.release(key));
  }

  /** {@code ownRpm} / {@code ownTpm}: the limits stored with an API key, else configuration's. */
  private void rateLimit(String scope, String name, long tokens, Long ownRpm, Long ownTpm) {
    long rpm = ownRpm != null ? ownRpm : ratePolicy.requestsPerMinute(scope, name);
    long tpm = ownTpm != null ? ownTpm : ratePolicy.tokensPerMinute(scope, name);
    long tpd = ratePolicy.tokensPerDay(scope, name);
    Optional<RateLimits.Refusal> refusal =
        rateLimiter.tryAcquire(scope + "|" + name, rpm, tpm, tpd, tokens);
    if (refusal.isPresent()) {
      RateLimits.Refusal r = refusal.get();
      LOG.log(
          Level.FINE,
          "WARDEN0630I: a call was refused: {0} {1} is over its {2} per {3}",
          new Object[] {scope, name, r.kind(), r.per()});
      throw new RateLimitRefusal(named(scope), r.kind(), r.per(), r.limit(), r.retryAfter());
    }
  }

  /** A limit's scope as a refusal names it to the caller: {@code user}, {@code API key}, ... */
  private static String named(String scope) {
    return "key".equals(scope) ? "API key" : scope;
  }

  /**
   * The cost of {@code usage} on {@code model} at {@code at}, or on {@code fallbackModel} when
   * {@code model} has no price; 0 (logged once per model) when neither has one.
   */
  BigDecimal cost(String model, String fallbackModel, TokenUsage usage, Instant at) {
    return cost(model, fallbackModel, usage, at, false);
  }

  /** {@link #cost(String, String, TokenUsage, Instant)} at the Batch API's price. */
  BigDecimal batchCost(String model, String fallbackModel, TokenUsage usage, Instant at) {
    return cost(model, fallbackModel, usage, at, true);
  }

  private BigDecimal cost(
      String model, String fallbackModel, TokenUsage usage, Instant at, boolean batch) {
    Optional<Price> price = prices.priceAt(model, at);
    if (price.isEmpty() && fallbackModel != null) {
      price = prices.priceAt(fallbackModel, at);
    }
    if (price.isEmpty()) {
      if (model != null && unpriced.add(model)) {
        LOG.log(
            Level.WARNING,
            "WARDEN0612W: model {0} has no price in the price table; its calls cost 0",
            model);
      }
      return Price.free(model).cost(usage, batch);
    }
    return price.get().cost(usage, batch);
  }
}
