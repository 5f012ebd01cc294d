package dev.warden.openai.credential;

import java.time.Instant;

/**
 * A CDI event: the upstream answered 401 to Warden's own credential (wrong, revoked or expired
 * key). Fired by the transport once per rejected exchange, whoever called; observed by the operator
 * alert (log and webhook) and the metrics. Holds no key and no upstream message (which can contain
 * a masked key).
 *
 * @param upstream the upstream's scheme, host and port; for a named upstream ({@code
 *     warden.upstreams}), its name, a space, then those
 * @param header the name of the header that carried the credential, never its value
 * @param model the model of the call, or {@code null} for calls without one
 * @param code OpenAI's error code, e.g. {@code invalid_api_key}, or {@code null}
 * @param upstreamRequestId the upstream's {@code x-request-id}, or {@code null}
 */
public record CredentialRejected(
    String upstream,
    String header,
    String model,
    String code,
    String upstreamRequestId,
    Instant at) {}
