package dev.warden.call;

/**
 * Where the pipeline opens a trace span for a call: the span is current while the call runs, so the
 * upstream attempts' HTTP spans are its children, and it ends from the call's {@link CallFinished}.
 * Implemented by {@code dev.warden.telemetry.CallTracing} where the application can see the
 * OpenTelemetry API; otherwise calls are not traced ({@link #NONE}).
 */
public interface CallSpans {

  /** A call's span made current on this thread; closing makes the previous one current again. */
  interface Current extends AutoCloseable {
    @Override
    void close();
  }

  /** No tracing. */
  CallSpans NONE = (call, operation, request) -> () -> {};

  /**
   * Starts the span of a call and makes it current.
   *
   * @param request the caller's request record, or {@code null}
   */
  Current start(CallContext call, String operation, Object request);
}
