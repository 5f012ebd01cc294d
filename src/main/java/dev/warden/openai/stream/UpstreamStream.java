package dev.warden.openai.stream;

import dev.warden.openai.error.ConnectionException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.error.UpstreamTimeoutException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open upstream event stream, read one event at a time. A watchdog closes it when the first
 * event takes longer than the first-event timeout, or, after it, no byte at all arrives for longer
 * than the idle timeout; the blocked read then fails with {@link UpstreamTimeoutException}. {@link
 * #close()} (from any thread: a caller that left, a cancelled subscription) aborts the upstream
 * request at once and releases its connection. Reading is single-threaded.
 */
public final class UpstreamStream implements AutoCloseable {

  private final SseDecoder decoder;
  private final AutoCloseable connection;
  private final Runnable onClose;
  private final String requestId;
  private String upstream;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final long openedAt = System.nanoTime();
  private final Duration firstEventTimeout;
  private final Duration idleTimeout;
  private volatile long lastActivityAt;
  private volatile boolean sawEvent;
  private volatile boolean reachedEnd;
  private volatile String timedOut;
  private ScheduledFuture<?> watchdog;
  private SseEvent peeked;

  private UpstreamStream(
      InputStream in,
      AutoCloseable connection,
      Runnable onClose,
      String requestId,
      StreamSettings settings) {
    this.decoder = new SseDecoder(new ActivityInputStream(in), settings.maxEventBytes());
    this.connection = connection;
    this.onClose = onClose;
    this.requestId = requestId;
    this.firstEventTimeout = settings.firstEventTimeout();
    this.idleTimeout = settings.idleTimeout();
  }

  /**
   * Wraps an open upstream body and starts its watchdog. {@code onClose} runs exactly once, when
   * the stream is closed (e.g. to release the connection permit).
   */
  public static UpstreamStream open(
      InputStream body,
      AutoCloseable connection,
      Runnable onClose,
      String requestId,
      StreamSettings settings,
      ScheduledExecutorService scheduler) {
    return open(body, connection, onClose, requestId, settings, scheduler, null);
  }

  /**
   * {@link #open(InputStream, AutoCloseable, Runnable, String, StreamSettings,
   * ScheduledExecutorService)} from the upstream named {@code upstream}.
   */
  public static UpstreamStream open(
      InputStream body,
      AutoCloseable connection,
      Runnable onClose,
      String requestId,
      StreamSettings settings,
      ScheduledExecutorService scheduler,
      String upstream) {
    UpstreamStream stream = new UpstreamStream(body, connection, onClose, requestId, settings);
    stream.upstream = upstream;
    long tick =
        Math.max(
            20,
            Math.min(settings.firstEventTimeout().toMillis(), settings.idleTimeout().toMillis())
                / 10);
    stream.watchdog =
        scheduler.scheduleWithFixedDelay(stream::check, tick, tick, TimeUnit.MILLISECONDS);
    return stream;
  }

  /** A stream replaying fixed events (Warden's deterministic fallback answer). */
  public static UpstreamStream of(List<SseEvent> events) {
    StringBuilder wire = new StringBuilder();
    events.forEach(e -> wire.append(e.toWire()));
    InputStream in = new ByteArrayInputStream(wire.toString().getBytes(StandardCharsets.UTF_8));
    StreamSettings settings =
        new StreamSettings(
            Duration.ofDays(1), Duration.ofDays(1), Duration.ofDays(1), Integer.MAX_VALUE);
    return new UpstreamStream(in, in, () -> {}, null, settings);
  }

  /** The name of the upstream this stream comes from, {@code null} when not known. */
  public String upstream() {
    return upstream;
  }

  /** The upstream {@code x-request-id}, when there was one. */
  public String requestId() {
    return requestId;
  }

  /**
   * Reads the first event (within the first-event timeout) without consuming it, so that a failure
   * before anything reached the caller can still be retried.
   *
   * @throws OpenAiException (retriable) when the stream fails or ends before its first event
   */
  public SseEvent awaitFirst() {
    if (peeked == null) {
      peeked = read();
      if (peeked == null) {
        throw new ConnectionException(
            new ErrorInfo(
                0,
                "the upstream stream ended before its first event",
                null,
                null,
                null,
                requestId,
                null),
            null);
      }
    }
    return peeked;
  }

  /**
   * The next event, or {@code null} when the upstream ended the stream.
   *
   * @throws OpenAiException when reading fails: {@link UpstreamTimeoutException} after a timeout,
   *     {@link ConnectionException} for a broken connection
   */
  public SseEvent next() {
    if (peeked != null) {
      SseEvent e = peeked;
      peeked = null;
      return e;
    }
    return read();
  }

  private SseEvent read() {
    try {
      SseEvent event = decoder.next();
      if (event == null) {
        reachedEnd = true;
      }
      if (event != null && !sawEvent) {
        lastActivityAt = System.nanoTime();
        sawEvent = true;
      }
      return event;
    } catch (IOException | RuntimeException e) {
      String reason = timedOut;
      if (reason != null) {
        throw new UpstreamTimeoutException(
            new ErrorInfo(0, reason, null, null, null, requestId, null), e);
      }
      if (closed.get()) {
        throw new ConnectionException(
            new ErrorInfo(0, "the stream was closed", null, null, null, requestId, null), e);
      }
      throw new ConnectionException(
          new ErrorInfo(
              0,
              "the upstream stream broke (" + e.getClass().getSimpleName() + ")",
              null,
              null,
              null,
              requestId,
              null),
          e);
    }
  }

  private void check() {
    long now = System.nanoTime();
    if (!sawEvent && now - openedAt > firstEventTimeout.toNanos()) {
      expire("no first event from the upstream within " + firstEventTimeout.toMillis() + " ms");
    } else if (sawEvent && now - lastActivityAt > idleTimeout.toNanos()) {
      expire("the upstream stream was idle for more than " + idleTimeout.toMillis() + " ms");
    }
  }

  private void expire(String reason) {
    if (timedOut == null && !closed.get()) {
      timedOut = reason;
      close();
    }
  }

  /** Counts any byte from the upstream as activity: "idle" means nothing arrived at all. */
  private final class ActivityInputStream extends FilterInputStream {
    ActivityInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        lastActivityAt = System.nanoTime();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        lastActivityAt = System.nanoTime();
      }
      return n;
    }
  }

  /**
   * After the terminal event: reads what is left (normally nothing but the end of the body), so the
   * upstream connection ends cleanly and can be reused, then closes. Bounded by the idle watchdog
   * and by {@code maxEvents}; failures are ignored (everything was delivered).
   */
  public void finish(int maxEvents) {
    try {
      for (int i = 0; i < maxEvents && read() != null; i++) {
        // an upstream should send nothing after its terminal event
      }
    } catch (RuntimeException ignored) {
      // the answer is complete; a broken tail does not matter
    } finally {
      close();
    }
  }

  /** Whether the upstream body was read to its end (its connection can then be reused). */
  public boolean reachedEnd() {
    return reachedEnd;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Aborts the upstream request (if still open) and releases its connection. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
      try {
        connection.close();
      } catch (Exception ignored) {
        // closing a broken connection may fail; it is gone either way
      } finally {
        onClose.run();
      }
    }
  }
}
