package dev.warden.ai;

import dev.warden.openai.stream.TokenUsage;
import java.time.Duration;
import java.time.Instant;

/**
 * Fired (synchronously, as a CDI event) once for every call through the {@link Pipeline}, whatever
 * its outcome and entry point: the hook for audit, usage accounting and metrics. Observers run
 * before the caller gets its answer, except for streams, where they run when the stream ends.
 *
 * @param timeToFirstEvent for streams, from the start of the call to the first event relayed;
 *     {@code null} otherwise
 * @param errorType the simple class name of the failure, {@code null} on success
 */
public record CallFinished(
    String requestId,
    EntryPoint entryPoint,
    String operation,
    boolean streamed,
    String requestedModel,
    String answeredBy,
    String modelSnapshot,
    FallbackKind fallback,
    int attempts,
    String upstreamRequestId,
    Instant startedAt,
    Duration latency,
    Duration timeToFirstEvent,
    TokenUsage usage,
    Outcome outcome,
    String errorType) {}
