package dev.warden.openai.stream;

/**
 * Follows one upstream stream event by event (Chat Completions chunks or Responses events), keeping
 * only what the final result needs. One per stream; not thread-safe.
 */
public interface StreamAccumulator {

  /**
   * Consumes one event.
   *
   * @throws dev.warden.openai.error.OpenAiException when the event is an error ({@code error}
   *     event, {@code response.failed}, a chunk carrying {@code error}) or cannot be read
   */
  StreamDelta accept(SseEvent event);

  /** Whether the terminal event ({@code [DONE]}, {@code response.completed}, ...) was seen. */
  boolean finished();

  /** The result so far; complete once {@link #finished()}. */
  StreamResult result();
}
