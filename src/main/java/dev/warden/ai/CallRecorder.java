package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.CallFinished;
import dev.warden.call.CallSpans;
import dev.warden.call.Callers;
import dev.warden.call.EntryPoint;
import dev.warden.call.Outcome;
import dev.warden.call.StreamOutbox;
import dev.warden.call.refusal.ModelNotAllowedRefusal;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The frame every call runs in, and the record stage: the call's context (for the current caller),
 * its trace span, the API key's model scope, and the one {@link CallFinished} every call fires,
 * refusals included, which settles its budget reservation (audit, usage accounting and metrics
 * observe it).
 */
@ApplicationScoped
public class CallRecorder {

  private final Callers callers;
  private final StreamOutbox outbox;
  private final Consumer<CallFinished> sink;
  private final Supplier<CallSpans> spans;
  private final Clock clock;
  private volatile CallSpans tracing;

  @Inject
  CallRecorder(
      Callers callers,
      StreamOutbox outbox,
      Event<CallFinished> finished,
      Instance<CallSpans> spans,
      Clock clock) {
    this(
        callers,
        outbox,
        finished::fire,
        () -> spans.isResolvable() ? spans.get() : CallSpans.NONE,
        clock);
  }

  CallRecorder(
      Callers callers,
      StreamOutbox outbox,
      Consumer<CallFinished> sink,
      Supplier<CallSpans> spans,
      Clock clock) {
    this.callers = callers;
    this.outbox = outbox;
    this.sink = sink;
    this.spans = spans;
    this.clock = clock;
  }

  /** For CDI's client proxy. */
  protected CallRecorder() {
    this.callers = null;
    this.outbox = null;
    this.sink = null;
    this.spans = null;
    this.clock = null;
  }

  /** The clock calls are timed with. */
  Clock clock() {
    return clock;
  }

  /** A call made now, for the current caller. */
  CallContext start(EntryPoint entry, String model) {
    return new CallContext(callers.current(), entry, model, clock);
  }

  /**
   * Starts the call's span (OpenTelemetry's where the application sees its API, else none) and
   * makes it current; {@code request} (may be {@code null}) describes the call.
   */
  CallSpans.Current trace(CallContext call, String operation, Object request) {
    CallSpans t = tracing;
    if (t == null) {
      t = spans.get();
      tracing = t;
    }
    return t.start(call, operation, request);
  }

  /**
   * Starts noting a model call, a stream or not, as under way (the audit's outbox), so that a crash
   * before its record still leaves a trace; its request waits for it before it is sent upstream
   * ({@link #await}), so a call that reached the upstream always has a record.
   */
  CompletableFuture<Void> pending(CallContext call, String operation, boolean streamed) {
    return outbox.pending(call, operation, streamed);
  }

  /** Waits for a {@link #pending} note; its failure is the call's. */
  static void await(CompletableFuture<Void> pending) {
    try {
      pending.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Refuses a model outside the caller's API key scope, before anything is sent. */
  static void inScope(CallContext call) {
    inScope(call.requestedModel(), call);
  }

  /** Refuses {@code model} when it is outside the caller's API key scope. */
  static void inScope(String model, CallContext call) {
    if (!call.caller().scope().allows(model)) {
      throw new ModelNotAllowedRefusal(model);
    }
  }

  /** Runs an operation on a stored object (no model, no kind) and records it. */
  <T> Answer<T> run(String operation, EntryPoint entry, Function<CallContext, T> action) {
    return run(
        operation,
        entry,
        null,
        null,
        Traffic.none(),
        call -> {
          // noted as under way before it is sent (the outbox), like a model call: an object
          // operation that reached the upstream keeps a trace if the server dies before its record.
          // It counts no input, and the note waits for the count.
          CompletableFuture<Void> noted = pending(call, operation, false);
          call.inputCounted(null);
          await(noted);
          return action.apply(call);
        });
  }

  /**
   * Runs one call that is not a stream and records it; {@code request} (may be {@code null})
   * describes it to tracing. The usage is the upstream answer's in {@code traffic}, else that of a
   * response the call returns (a retrieved one).
   */
  <T> Answer<T> run(
      String operation,
      EntryPoint entry,
      String model,
      Object request,
      Traffic<?, ?> traffic,
      Function<CallContext, T> action) {
    CallContext call = start(entry, model);
    T body;
    CallSpans.Current traced = trace(call, operation, request);
    try {
      inScope(call);
      body = action.apply(call);
    } catch (RuntimeException e) {
      RuntimeException failure = CallerGuardedFailure.unwrap(e);
      // a call that failed after the upstream answered (output validation) was still paid for
      finish(call, operation, false, Outcome.FAILED, failure, traffic, traffic.usage());
      throw failure;
    } finally {
      traced.close();
    }
    TokenUsage usage =
        traffic.received() == null && body instanceof ModelResponse r
            ? TokenUsage.of(r.usage())
            : traffic.usage();
    finish(call, operation, false, Outcome.SUCCEEDED, null, traffic, usage);
    return new Answer<>(
        body,
        call.requestId(),
        call.requestedModel(),
        call.answeredBy(),
        call.modelSnapshot(),
        call.fallback(),
        call.attempts(),
        call.delays(),
        call.upstreamRequestId(),
        Duration.between(call.startedAt(), clock.instant()),
        call.answeredUpstream());
  }

  /** Fires a report (once per call). */
  void fire(CallFinished report) {
    sink.accept(report);
  }

  /** Reports and fires the end of a call now (not a stream's relay: {@link #ended}). */
  void finish(
      CallContext call,
      String operation,
      boolean streamed,
      Outcome outcome,
      RuntimeException failure,
      Traffic<?, ?> traffic,
      TokenUsage usage) {
    fire(
        call.finished(
            operation,
            streamed,
            call.modelSnapshot(),
            clock.instant(),
            null,
            usage,
            outcome,
            failure,
            traffic.sent(),
            traffic.recorded()));
  }

  /**
   * How a relayed stream is recorded when it ends: its report, then (on success) {@code succeeded}
   * with the result as the upstream streamed it, then the event.
   */
  StreamingCall.Ending ended(
      CallContext call,
      String operation,
      Traffic<?, ?> traffic,
      Consumer<dev.warden.openai.stream.StreamResult> succeeded) {
    return (outcome, failure, firstEvent, result, upstream) -> {
      CallFinished report =
          call.finished(
              operation,
              true,
              result.model(),
              clock.instant(),
              firstEvent,
              result.usage() == null ? TokenUsage.NONE : result.usage(),
              outcome,
              failure,
              traffic.sent(),
              upstream.body());
      if (outcome == Outcome.SUCCEEDED) {
        succeeded.accept(upstream);
      }
      fire(report);
    };
  }
}
