package dev.warden.gateway.idempotency;

import dev.warden.ai.StreamSink;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.StreamResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The events of a stream as they are written to its caller, kept for replays under an idempotency
 * key: everything the caller got but the keep-alive comments. {@link #finish} records them when the
 * stream ended normally and releases the key otherwise (failed, cut, the caller gone).
 */
public final class StreamRecording extends OutputStream {
  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
  private volatile boolean completed;
  private volatile boolean failed;

  /** Writes through to {@code out}, keeping a copy. */
  public StreamRecording(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    recorded.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    if (!Arrays.equals(b, off, off + len, KEEP_ALIVE, 0, KEEP_ALIVE.length)) {
      recorded.write(b, off, len);
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** {@code sink}, noting how the stream ended. */
  public StreamSink watching(StreamSink sink) {
    return new StreamSink() {
      @Override
      public void delta(StreamDelta delta) throws IOException {
        sink.delta(delta);
      }

      @Override
      public void failed(OpenAiException failure) throws IOException {
        failed = true;
        sink.failed(failure);
      }

      @Override
      public void completed(StreamResult result) throws IOException {
        sink.completed(result);
        completed = true;
      }
    };
  }

  /**
   * Records the stream for replays under {@code claim} if it ended normally; otherwise releases the
   * key, so the caller's retry runs again.
   */
  public void finish(Idempotency.Claim claim, Map<String, String> headers, String requestId) {
    if (!completed || failed) {
      claim.release();
      return;
    }
    claim.complete(
        200, "text/event-stream", headers, recorded.toString(StandardCharsets.UTF_8), requestId);
  }
}
