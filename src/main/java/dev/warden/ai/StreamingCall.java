package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.CallFinished;
import dev.warden.call.Outcome;
import dev.warden.openai.error.ConnectionException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.stream.SseEvent;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.StreamResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A stream whose first event has arrived, ready to be relayed. {@link #relay(StreamSink)} forwards
 * every event as it comes (no batching), follows the stream to its end, and reports exactly one
 * {@link CallFinished}. After the first event nothing is retried: an upstream cut, an idle timeout
 * or an error event becomes {@link StreamSink#failed}; a caller that leaves (a sink that throws
 * {@link IOException}) or {@link #cancel()} aborts the upstream request at once.
 */
public final class StreamingCall {

  /** How the pipeline learns that the stream ended, to record it ({@link CallFinished}). */
  interface Ending {
    /**
     * @param result the assembled result as the caller saw it (restored)
     * @param upstream the result as the upstream streamed it (placeholders, not values)
     */
    void ended(
        Outcome outcome,
        RuntimeException failure,
        Duration firstEvent,
        StreamResult result,
        StreamResult upstream);
  }

  private final CallContext call;
  private final OpenStream open;
  private final Clock clock;
  private final Ending ending;
  private final Consumer<StreamResult> check;
  private volatile boolean cancelled;
  private StreamResult result;

  StreamingCall(
      CallContext call, OpenStream open, Clock clock, Ending ending, Consumer<StreamResult> check) {
    this.call = call;
    this.open = open;
    this.clock = clock;
    this.ending = ending;
    this.check = check;
  }

  public CallContext context() {
    return call;
  }

  /** Aborts the upstream request (from any thread); the relay then ends as cancelled. */
  public void cancel() {
    cancelled = true;
    open.stream().close();
  }

  public boolean isCancelled() {
    return cancelled;
  }

  /** The assembled result, once the relay has completed successfully. */
  public StreamResult result() {
    return result;
  }

  /**
   * Relays the stream to {@code sink} on the calling thread until it ends. Returns how it ended;
   * never throws for upstream failures (they go to {@link StreamSink#failed}).
   */
  public Outcome relay(StreamSink sink) {
    Outcome outcome = Outcome.FAILED;
    RuntimeException failure = null;
    Duration firstEvent = null;
    try {
      StreamDelta delta = open.first();
      while (true) {
        if (cancelled) {
          outcome = Outcome.CANCELLED;
          break;
        }
        sink.delta(delta);
        if (firstEvent == null) {
          firstEvent = Duration.between(call.startedAt(), clock.instant());
        }
        if (open.accumulator().finished()) {
          StreamResult complete = open.accumulator().result();
          check.accept(complete); // output validation: a failure becomes the stream's error
          result = complete;
          sink.completed(result);
          outcome = Outcome.SUCCEEDED;
          open.stream().finish(4);
          break;
        }
        SseEvent event = open.stream().next();
        if (event == null) {
          throw new ConnectionException(
              new ErrorInfo(
                  0,
                  "the upstream stream ended before its final event",
                  null,
                  "upstream_stream_interrupted",
                  null,
                  open.stream().requestId(),
                  null),
              null);
        }
        delta = open.accumulator().accept(event);
      }
    } catch (IOException callerGone) {
      outcome = Outcome.CANCELLED;
    } catch (OpenAiException e) {
      if (cancelled) {
        outcome = Outcome.CANCELLED;
      } else {
        failure = e;
        try {
          sink.failed(e);
        } catch (IOException callerGone) {
          // the caller left while we were telling it; the outcome is the failure
        }
      }
    } catch (RuntimeException unexpected) {
      failure = unexpected;
      throw unexpected;
    } finally {
      open.stream().close();
      report(outcome, failure, firstEvent);
    }
    return outcome;
  }

  private void report(Outcome outcome, RuntimeException failure, Duration firstEvent) {
    StreamResult r = result != null ? result : open.accumulator().result();
    StreamResult upstream =
        open.accumulator() instanceof RehydratingAccumulator rehydrating
            ? rehydrating.upstreamResult()
            : open.accumulator().result();
    ending.ended(outcome, failure, firstEvent, r, upstream);
  }
}
