package dev.warden.call;

import dev.warden.openai.Upstreams;
import dev.warden.openai.stream.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One logical call: who and what it is ({@link CallIdentity}, fixed), what its attempts met
 * upstream ({@link UpstreamAttempts}), and what the stages found on the way (PII, the screening
 * verdict, the budget reservation, the route). One per call; never shared between calls.
 * Thread-safe. The request sent and the answer received are the pipeline's, in their own types;
 * they join the call's {@link #finished report}.
 */
public final class CallContext {

  private final CallIdentity identity;
  private final UpstreamAttempts upstream = new UpstreamAttempts();
  private Map<String, Integer> piiFound = Map.of();
  private Map<String, Integer> uninspected = Map.of();
  private Verdict guardVerdict;
  private String subject;
  private BudgetHold reservation;
  private List<Runnable> releases = List.of();
  private final java.util.concurrent.CompletableFuture<Integer> countedInput =
      new java.util.concurrent.CompletableFuture<>();
  private String routeNote = RouteScope.current();
  private boolean batched;

  /** A call made now for {@code caller} (see {@link Callers#current()}). */
  public CallContext(Caller caller, EntryPoint entryPoint, String requestedModel, Clock clock) {
    this(
        caller,
        newRequestId(),
        scopedIdempotencyKey(),
        entryPoint,
        requestedModel,
        clock.instant(),
        PromptScope.current());
  }

  /**
   * A new Warden request id ({@code wrd_} and 32 hex digits): a call's, or that of an answer no
   * call produced (a refusal before the pipeline).
   */
  public static String newRequestId() {
    return "wrd_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** The attempt's next key in an {@link IdempotencyScope}, else a fresh one. */
  private static String scopedIdempotencyKey() {
    String scoped = IdempotencyScope.next();
    return scoped != null ? scoped : IdempotencyScope.newInvocationKey();
  }

  private CallContext(
      Caller caller,
      String requestId,
      String idempotencyKey,
      EntryPoint entryPoint,
      String requestedModel,
      Instant startedAt,
      PromptRef prompt) {
    this.identity =
        new CallIdentity(
            requestId,
            idempotencyKey,
            caller,
            entryPoint,
            requestedModel,
            startedAt,
            prompt,
            ResilienceScope.callerOwned());
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
    return new CallContext(
        caller,
        requestId,
        IdempotencyScope.newInvocationKey(),
        entryPoint,
        requestedModel,
        startedAt,
        prompt);
  }

  /** Who and what the call is. */
  public CallIdentity identity() {
    return identity;
  }

  /** What the call's attempts met upstream (the client and the fallback chain record it). */
  public UpstreamAttempts upstream() {
    return upstream;
  }

  // ---- what the stages found ------------------------------------------------------------------

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

  /** How many values of each PII entity type the request held (empty when none or not redacted). */
  public synchronized Map<String, Integer> piiFound() {
    return piiFound;
  }

  /**
   * Records the parts of the request Warden could not inspect (images, audio, files), counted by
   * their type: those that passed, or those that were refused.
   */
  public synchronized void uninspected(Map<String, Integer> counts) {
    this.uninspected = Map.copyOf(counts);
  }

  /**
   * The parts of the request Warden could not inspect, counted by type ({@code image_url}, {@code
   * input_file}, ...): sent uninspected, or, when the call was refused for them, the refused ones;
   * empty when none.
   */
  public synchronized Map<String, Integer> uninspected() {
    return uninspected;
  }

  public synchronized void screened(Verdict verdict) {
    this.guardVerdict = verdict;
  }

  /** The prompt-injection verdict on the request, {@code null} when it was not screened. */
  public synchronized Verdict guardVerdict() {
    return guardVerdict;
  }

  /**
   * The input tokens admission counted: {@code null} once admission is over without counting (an
   * operation not admitted by tokens, or one refused before). Set once; later calls do nothing.
   */
  public void inputCounted(Integer tokens) {
    countedInput.complete(tokens);
  }

  /** Completes with the input tokens admission counted ({@link #inputCounted}). */
  public java.util.concurrent.CompletionStage<Integer> countedInput() {
    return countedInput;
  }

  /**
   * Hands the call the budget reservation admission made for it; {@link #finished} charges it
   * exactly once.
   */
  public synchronized void admitted(BudgetHold reservation) {
    this.reservation = reservation;
  }

  /**
   * Runs {@code release} once, when the call {@link #finished finishes} (its report is made, also
   * on a refusal or failure, and for a stream when it ends): for what admission holds only while
   * the call is under way, such as its place under an in-flight limit.
   */
  public synchronized void releaseWhenFinished(Runnable release) {
    List<Runnable> all = new java.util.ArrayList<>(releases);
    all.add(release);
    releases = all;
  }

  /**
   * The call's budget hold as the given type, {@code null} before admission, when none was made, or
   * when it is of another type.
   */
  public synchronized <H extends BudgetHold> H reservation(Class<H> type) {
    return type.isInstance(reservation) ? type.cast(reservation) : null;
  }

  /** Replaces the route reason's start (e.g. {@code deferred: batch ...}). */
  public synchronized void routeNote(String note) {
    this.routeNote = note;
  }

  /** Whether the call goes through the Batch API (a deferred call). */
  public synchronized boolean batched() {
    return batched;
  }

  public synchronized void batched(boolean batched) {
    this.batched = batched;
  }

  /**
   * Which model answered and why: {@code requested} (or the router's {@code routed: ...} / {@code
   * escalated: ...}), followed by {@code ; fallback: ...} when a fallback answered. {@code null}
   * for operations that choose no model (retrieve, list, files).
   */
  public String routeReason() {
    String requestedModel = identity.requestedModel();
    if (requestedModel == null) {
      return null;
    }
    String note;
    synchronized (this) {
      note = routeNote;
    }
    String base = note == null ? RouteScope.REQUESTED : note;
    FallbackKind fallback = upstream.fallback();
    String answeredUpstream = upstream.answeredUpstream();
    // only a named upstream is mentioned: with one upstream the reasons read as they always did
    String on =
        answeredUpstream == null || Upstreams.DEFAULT.equals(answeredUpstream)
            ? ""
            : " on upstream " + answeredUpstream;
    if (fallback == FallbackKind.NONE) {
      return on.isEmpty() ? base : base + "; answered" + on;
    }
    String cause =
        upstream.lastFailure() != null
            ? requestedModel + " failed (" + upstream.lastFailure().getClass().getSimpleName() + ")"
            : upstream.attempts() == 0
                ? "the circuit breaker was open"
                : requestedModel + " timed out";
    String which =
        fallback == FallbackKind.MODEL
            ? "model " + upstream.answeredBy() + on
            : "the deterministic answer";
    return base + "; fallback: " + which + " after an outage, " + cause;
  }

  /**
   * The {@link CallFinished} report of this call as it stands now. Charges the call's budget
   * reservation (once; later reports carry the same cost and no settlement): the settlement goes
   * with the report, to be written with the call's audit record. Runs what was to be released when
   * the call finished ({@link #releaseWhenFinished}), once.
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
    BudgetHold hold;
    List<Runnable> release;
    synchronized (this) {
      hold = reservation;
      release = releases;
      releases = List.of();
    }
    release.forEach(Runnable::run);
    BudgetHold.Charge charge =
        hold == null ? null : hold.charge(answeredBy(), usage, outcome, firstEvent != null);
    return new CallFinished(
        identity.requestId(),
        identity.entryPoint(),
        operation,
        streamed,
        identity.requestedModel(),
        answeredBy(),
        snapshot,
        fallback(),
        attempts(),
        upstreamRequestId(),
        identity.startedAt(),
        Duration.between(identity.startedAt(), now),
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
        identity.caller(),
        charge == null ? null : charge.cost(),
        identity.prompt(),
        routeReason(),
        batched(),
        uninspected(),
        charge == null ? null : charge.settlement());
  }

  // ---- the identity and the attempts, as most readers want them --------------------------------

  /** Warden's id for this call, returned to HTTP callers as {@code x-request-id}. */
  public String requestId() {
    return identity.requestId();
  }

  /** Sent as {@code Idempotency-Key} on every attempt of this call. */
  public String idempotencyKey() {
    return identity.idempotencyKey();
  }

  /** Who the call is made for. */
  public Caller caller() {
    return identity.caller();
  }

  public EntryPoint entryPoint() {
    return identity.entryPoint();
  }

  public String requestedModel() {
    return identity.requestedModel();
  }

  public Instant startedAt() {
    return identity.startedAt();
  }

  /** The versioned prompt the request was rendered from, {@code null} when none. */
  public PromptRef prompt() {
    return identity.prompt();
  }

  /** The prompt id, {@code null} when the request was not rendered from a prompt. */
  public String promptId() {
    return identity.prompt() == null ? null : identity.prompt().id();
  }

  /** The prompt's version, {@code null} when none. */
  public String promptVersion() {
    return identity.prompt() == null ? null : identity.prompt().version();
  }

  /** Whether the caller guards this call with its own fault tolerance ({@link ResilienceScope}). */
  public boolean callerOwnsResilience() {
    return identity.callerOwnsResilience();
  }

  /** Attempts of the requested model that reached (or tried to reach) the upstream. */
  public int attempts() {
    return upstream.attempts();
  }

  public List<Duration> delays() {
    return upstream.delays();
  }

  /** The model that produced the answer (the requested one, a fallback, or "warden-fallback"). */
  public String answeredBy() {
    return upstream.answeredBy();
  }

  /** The model snapshot the upstream reported (e.g. gpt-4o-2024-08-06), when it said. */
  /** The name of the upstream that answered ({@code null}: the deterministic answer, or none). */
  public String answeredUpstream() {
    return upstream.answeredUpstream();
  }

  public String modelSnapshot() {
    return upstream.modelSnapshot();
  }

  public String upstreamRequestId() {
    return upstream.upstreamRequestId();
  }

  public FallbackKind fallback() {
    return upstream.fallback();
  }
}
