package dev.warden.gateway.api;

import dev.warden.ai.StreamSink;
import dev.warden.ai.StreamingCall;
import dev.warden.config.Jsonp;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.StreamResult;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a relayed stream to an HTTP caller in OpenAI's exact wire format, flushing after every
 * event (no batching). While the upstream is silent, an SSE comment is written every {@code
 * heartbeat}: SDKs ignore it, and a caller that left is noticed at once, which aborts the upstream
 * request. A failure after the first byte becomes an explicit error event — {@code data: {"error":
 * ...}} for Chat Completions, {@code event: error} for Responses, the forms OpenAI SDKs raise — and
 * never a made-up {@code [DONE]}.
 */
final class SseSink implements StreamSink, AutoCloseable {

  private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final boolean responsesFormat;
  private final ReentrantLock lock = new ReentrantLock();
  private final ScheduledFuture<?> heartbeat;
  private final long heartbeatNanos;
  private volatile long lastWrite = System.nanoTime();
  private volatile boolean gone;
  private int sequence;

  SseSink(
      OutputStream out,
      boolean responsesFormat,
      StreamingCall call,
      Duration heartbeatEvery,
      ScheduledExecutorService scheduler) {
    this.out = out;
    commitHeaders();
    this.responsesFormat = responsesFormat;
    this.heartbeatNanos = heartbeatEvery.toNanos();
    long tick = Math.max(50, heartbeatEvery.toMillis() / 2);
    this.heartbeat =
        scheduler.scheduleWithFixedDelay(() -> beat(call), tick, tick, TimeUnit.MILLISECONDS);
  }

  /**
   * Sends the status and headers before the first event. On Liberty, the flush that commits a
   * response's headers does not send the bytes written before it: written with the first event,
   * that event reached the caller only with the next write, one upstream event gap late. A caller
   * already gone is noticed here and the first write fails as for any caller that left.
   */
  private void commitHeaders() {
    try {
      out.flush();
    } catch (IOException | RuntimeException e) {
      gone = true;
    }
  }

  private void beat(StreamingCall call) {
    if (gone || System.nanoTime() - lastWrite < heartbeatNanos) {
      return;
    }
    try {
      write(HEARTBEAT);
    } catch (IOException callerGone) {
      call.cancel();
    }
  }

  @Override
  public void delta(StreamDelta delta) throws IOException {
    if (delta.forward() != null) {
      if (responsesFormat) {
        sequence++;
      }
      write(delta.forward().toWire().getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void failed(OpenAiException failure) throws IOException {
    String code = failure.code() != null ? failure.code() : codeOf(failure);
    String type = failure.type() != null ? failure.type() : "server_error";
    String message =
        failure.status() == 0 || "server_error".equals(type)
            ? "the upstream stream failed: " + failure.getMessage()
            : failure.getMessage();
    JsonObjectBuilder error =
        Jsonp.createObjectBuilder()
            .add("message", message)
            .add("type", type)
            .add("code", code)
            .add(
                "param",
                failure.param() == null ? JsonValue.NULL : Jsonp.createValue(failure.param()));
    String wire;
    if (responsesFormat) {
      wire =
          "event: error\ndata: "
              + error.add("type", "error").add("sequence_number", sequence).build()
              + "\n\n";
    } else {
      wire = "data: " + Jsonp.createObjectBuilder().add("error", error).build() + "\n\n";
    }
    write(wire.getBytes(StandardCharsets.UTF_8));
  }

  private static String codeOf(OpenAiException failure) {
    if (failure instanceof dev.warden.openai.error.UpstreamTimeoutException) {
      return "upstream_timeout";
    }
    return "upstream_stream_interrupted";
  }

  @Override
  public void completed(StreamResult result) {
    // the terminal event ([DONE] or response.completed) was relayed as it came
  }

  private void write(byte[] bytes) throws IOException {
    lock.lock();
    try {
      if (gone) {
        throw new IOException("the caller has gone");
      }
      out.write(bytes);
      out.flush();
      lastWrite = System.nanoTime();
    } catch (IOException e) {
      gone = true;
      throw e;
    } catch (RuntimeException e) {
      // Liberty reports a closed client connection unchecked on some paths: the caller is gone
      // all the same
      gone = true;
      throw new IOException("the caller's connection failed", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    heartbeat.cancel(false);
  }
}
