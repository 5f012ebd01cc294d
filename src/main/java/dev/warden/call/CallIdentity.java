package dev.warden.call;

import java.time.Instant;

/**
 * Who and what a call is, fixed when it starts: the part of a {@link CallContext} that never
 * changes.
 *
 * @param requestId Warden's id for the call, returned to HTTP callers as {@code x-request-id}
 * @param idempotencyKey sent as {@code Idempotency-Key} on every attempt of the call
 * @param caller who the call is made for
 * @param entryPoint where the call came in
 * @param requestedModel the model asked for ({@code null} for operations without one)
 * @param startedAt when the call started
 * @param prompt the versioned prompt the request was rendered from, {@code null} when none
 * @param callerOwnsResilience whether the caller guards the call with its own fault tolerance
 *     ({@link ResilienceScope}): one attempt, no fallback chain
 */
public record CallIdentity(
    String requestId,
    String idempotencyKey,
    Caller caller,
    EntryPoint entryPoint,
    String requestedModel,
    Instant startedAt,
    PromptRef prompt,
    boolean callerOwnsResilience) {}
