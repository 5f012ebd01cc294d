package dev.warden.ai;

import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.StreamResult;
import java.io.IOException;

/**
 * Where a relayed stream goes: an HTTP caller ({@code /v1}) or an injected bean's subscriber. Each
 * method throws {@link IOException} when the caller is gone, which cancels the upstream request.
 */
public interface StreamSink {

  /** One upstream event, as it arrives. */
  void delta(StreamDelta delta) throws IOException;

  /**
   * The stream failed after its first event: upstream cut, idle timeout, an error event. Must reach
   * the caller as an explicit error, never as a clean end.
   */
  void failed(OpenAiException failure) throws IOException;

  /** The stream ended normally. */
  void completed(StreamResult result) throws IOException;
}
