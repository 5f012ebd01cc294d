package dev.warden.ai;

import dev.warden.openai.stream.StreamAccumulator;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.UpstreamStream;

/**
 * An upstream stream that has delivered its first event, with the accumulator that read it. Up to
 * here a failure could still be retried or answered by a fallback; from here on it cannot.
 */
public record OpenStream(UpstreamStream stream, StreamAccumulator accumulator, StreamDelta first) {}
