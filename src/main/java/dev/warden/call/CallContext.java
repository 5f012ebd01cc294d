package dev.warden.call;

import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The state of one logical call across its attempts: MicroProfile Fault Tolerance re-invokes the
 * annotated method with the same arguments, so this object is how an attempt learns what the
 * previous one met (for {@code Retry-After}) and how the caller learns what happened (attempts,
 * delays, which model answered, whether a fallback was used). One per call; never shared between
 * calls. Thread-safe.
 */
public final class CallContext {

  private final String requestId;
  private final String idempotencyKey;
  private final EntryPoint entryPoint;
  private final String requestedModel;
  private final Instant startedAt;
  private final List<Duration> delays = new ArrayList<>();
  private int attempts;
  private int fallbackAttempts;
  private OpenAiException lastFailure;
  private String answeredBy;
  private String modelSnapshot;
  private String upstreamRequestId;
  private FallbackKind fallback = FallbackKind.NONE;
  private Map<String, Integer> piiFound = Map.of();
  private String subject;
  private Verdict guardVerdict;
  private final Caller caller;
  private BudgetHold reservation;
  private final PromptRef prompt;
  private String routeNote = RouteScope.current();
  private final boolean callerOwnsResilience = ResilienceScope.callerOwned();
  private boolean batched;

  /** A call made now for {@code caller} (see {@link Callers#current()}). */
  public CallContext(Caller caller, EntryPoint entryPoint, String requestedModel, Clock clock) {
    this(
        caller,
        "wrd_" + UUID.randomUUID().toString().replace("-", ""),
        entryPoint,
        requestedModel,
        clock.instant(),
        PromptScope.current());
  }

  private CallContext(
      Caller caller,
      String requestId,
      EntryPoint entryPoint,
      String requestedModel,
      Instant startedAt,
      PromptRef prompt) {
    this.caller = caller;
    this.requestId = requestId;
    this.idempotencyKey = "warden-" + UUID.randomUUID();
    this.entryPoint = entryPoint;
    this.requestedModel = requestedModel;
    this.startedAt = startedAt;
    this.prompt = prompt;
  }

  /**
   * The context of a call made earlier and finishing now (a deferred call whose batch ended,
   * possibly after a restart): its own request id, caller, start and prompt.
   */
  public static CallContext resumed(
      Caller caller,
      String requestId,
      EntryPoint entryPoint,
      String requestedModel,
      Instant startedAt,
      PromptRef prompt) {
    return new CallContext(caller, requestId, entryPoint, requestedModel, startedAt, prompt);
  }

  /**
   * Whether the caller guards this call with its own fault tolerance ({@link ResilienceScope}): one
   * attempt, no fallback chain.
   */
  public boolean callerOwnsResilience() {
    return callerOwnsResilience;
  }

  public synchronized int beginAttempt() {
    return ++attempts;
  }

  public synchronized void beginFallbackAttempt() {
    fallbackAttempts++;
  }

  public synchronized void failed(OpenAiException failure) {
    this.lastFailure = failure;
  }

  public synchronized void delayed(Duration delay) {
    delays.add(delay);
  }

  public synchronized void answered(
      String model, String snapshot, String upstreamRequestId, FallbackKind kind) {
    this.answeredBy = model;
    this.modelSnapshot = snapshot;
    this.upstreamRequestId = upstreamRequestId;
    this.fallback = kind;
  }

  /** Records the data subject the request names ({@link #subject()}). */
  public synchronized void subject(String subject) {
    this.subject = subject;
  }

  /**
   * The data subject the call was made for: the request's {@code safety_identifier}, else its
   * {@code user}; {@code null} when the caller named none.
   */
  public synchronized String subject() {
    return subject;
  }

  public synchronized void redacted(Map<String, Integer> counts) {
    this.piiFound = Map.copyOf(counts);
  }

  public synchronized void screened(Verdict verdict) {
    this.guardVerdict = verdict;
  }

  /** Who the call is made for. */
  public Caller caller() {
    return caller;
  }

  /**
   * Hands the call the budget reservation admission made for it; {@link #finished} settles it
   * exactly once.
   */
  public synchronized void admitted(BudgetHold reservation) {
    this.reservation = reservation;
  }

  /** Replaces the route reason's start (e.g. {@code deferred: batch ...}). */
  public synchronized void routeNote(String note) {
    this.routeNote = note;
  }

  /**
   * Which model answered and why: {@code requested} (or the router's {@code routed: ...} / {@code
   * escalated: ...}), followed by {@code ; fallback: ...} when a fallback answered. {@code null}
   * for operations that choose no model (retrieve, list, files).
   */
  public synchronized String routeReason() {
    if (requestedModel == null) {
      return null;
    }
    String base = routeNote == null ? RouteScope.REQUESTED : routeNote;
    if (fallback == FallbackKind.NONE) {
      return base;
    }
    String cause =
        lastFailure != null
            ? requestedModel + " failed (" + lastFailure.getClass().getSimpleName() + ")"
            : attempts == 0 ? "the circuit breaker was open" : requestedModel + " timed out";
    String which =
        fallback == FallbackKind.MODEL ? "model " + answeredBy : "the deterministic answer";
    return base + "; fallback: " + which + " after an outage, " + cause;
  }

  /** The prompt id, {@code null} when the request was not rendered from a prompt. */
  public String promptId() {
    return prompt == null ? null : prompt.id();
  }

  /** The prompt's version, {@code null} when none. */
  public String promptVersion() {
    return prompt == null ? null : prompt.version();
  }

  /** Settles the reservation, if any, and returns the cost; {@code null} when none was made. */
  private BigDecimal settle(TokenUsage usage, Outcome outcome, boolean streamStarted) {
    BudgetHold r;
    synchronized (this) {
      r = reservation;
    }
    return r == null ? null : r.settle(answeredBy(), usage, outcome, streamStarted);
  }

  /** How many values of each PII entity type the request held (empty when none or not redacted). */
  public synchronized Map<String, Integer> piiFound() {
    return piiFound;
  }

  /** The prompt-injection verdict on the request, {@code null} when it was not screened. */
  public synchronized Verdict guardVerdict() {
    return guardVerdict;
  }

  /**
   * The {@link CallFinished} report of this call as it stands now. Settles the call's budget
   * reservation (once; later reports carry the same cost).
   *
   * @param snapshot the model snapshot to report (the upstream's, as far as known)
   * @param firstEvent for streams, the time to the first relayed event; {@code null} otherwise
   * @param failure the failure, {@code null} on success or cancellation
   * @param sentRequest the request as sent upstream, after redaction ({@code null} when none)
   * @param upstreamAnswer the answer as the upstream gave it ({@code null} when none)
   */
  public CallFinished finished(
      String operation,
      boolean streamed,
      String snapshot,
      Instant now,
      Duration firstEvent,
      TokenUsage usage,
      Outcome outcome,
      RuntimeException failure,
      Object sentRequest,
      Object upstreamAnswer) {
    BigDecimal cost = settle(usage, outcome, firstEvent != null);
    return new CallFinished(
        requestId,
        entryPoint,
        operation,
        streamed,
        requestedModel,
        answeredBy(),
        snapshot,
        fallback(),
        attempts(),
        upstreamRequestId(),
        startedAt,
        Duration.between(startedAt, now),
        firstEvent,
        usage,
        outcome,
        failure == null ? null : failure.getClass().getSimpleName(),
        piiFound(),
        guardVerdict(),
        subject(),
        sentRequest,
        upstreamAnswer,
        failure == null ? null : failure.getMessage(),
        caller,
        cost,
        prompt,
        routeReason(),
        batched());
  }

  /** Whether the call goes through the Batch API (a deferred call). */
  public synchronized boolean batched() {
    return batched;
  }

  public synchronized void batched(boolean batched) {
    this.batched = batched;
  }

  /**
   * The call's budget hold as the given type, {@code null} before admission, when none was made, or
   * when it is of another type.
   */
  public synchronized <H extends BudgetHold> H reservation(Class<H> type) {
    return type.isInstance(reservation) ? type.cast(reservation) : null;
  }

  /** The versioned prompt the request was rendered from, {@code null} when none. */
  public PromptRef prompt() {
    return prompt;
  }

  /** Warden's id for this call, returned to HTTP callers as {@code x-request-id}. */
  public String requestId() {
    return requestId;
  }

  /** Sent as {@code Idempotency-Key} on every attempt of this call. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  public EntryPoint entryPoint() {
    return entryPoint;
  }

  public String requestedModel() {
    return requestedModel;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** Attempts of the requested model that reached (or tried to reach) the upstream. */
  public synchronized int attempts() {
    return attempts;
  }

  public synchronized int fallbackAttempts() {
    return fallbackAttempts;
  }

  public synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  public synchronized OpenAiException lastFailure() {
    return lastFailure;
  }

  /** The model that produced the answer (the requested one, a fallback, or "warden-fallback"). */
  public synchronized String answeredBy() {
    return answeredBy;
  }

  /** The model snapshot the upstream reported (e.g. gpt-4o-2024-08-06), when it said. */
  public synchronized String modelSnapshot() {
    return modelSnapshot;
  }

  public synchronized String upstreamRequestId() {
    return upstreamRequestId;
  }

  public synchronized FallbackKind fallback() {
    return fallback;
  }
}
