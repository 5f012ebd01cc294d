package dev.warden.ai;

import dev.warden.call.FallbackKind;
import java.time.Duration;
import java.util.List;

/**
 * A successful call: the upstream body plus what Warden did to get it.
 *
 * @param body the OpenAI object (a chat completion, a response, ...)
 * @param requestId Warden's id for the call
 * @param requestedModel the model the caller asked for (null for calls without one)
 * @param answeredBy the model that answered: the requested one, a fallback model, or {@value
 *     FallbackChain#DETERMINISTIC_MODEL}
 * @param modelSnapshot the snapshot the upstream reported, when it did
 * @param fallback whether and how a fallback answered
 * @param attempts attempts of the requested model (1 when the first succeeded)
 * @param retryDelays the waits before each retry
 * @param upstreamRequestId the upstream's {@code x-request-id}, when there was one
 * @param latency from the start of the call to the answer
 * @param upstream the name of the upstream that answered ({@code null} for the deterministic
 *     answer)
 */
public record Answer<T>(
    T body,
    String requestId,
    String requestedModel,
    String answeredBy,
    String modelSnapshot,
    FallbackKind fallback,
    int attempts,
    List<Duration> retryDelays,
    String upstreamRequestId,
    Duration latency,
    String upstream) {

  public boolean fallbackUsed() {
    return fallback != FallbackKind.NONE;
  }
}
