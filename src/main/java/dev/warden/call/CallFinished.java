package dev.warden.call;

import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Fired (synchronously, as a CDI event) once for every call through the pipeline, whatever its
 * outcome and entry point: the hook for audit, usage accounting and metrics. Observers run before
 * the caller gets its answer, except for streams, where they run when the stream ends.
 *
 * @param timeToFirstEvent for streams, from the start of the call to the first event relayed;
 *     {@code null} otherwise
 * @param errorType the simple class name of the failure, {@code null} on success
 * @param subject the data subject (end user) the caller named ({@code safety_identifier} or {@code
 *     user}), {@code null} when none
 * @param sentRequest the request record exactly as sent upstream, after redaction ({@code null}
 *     when refused before)
 * @param upstreamAnswer the answer object as the upstream gave it (placeholders, not values): a
 *     {@code ChatCompletion}, {@code ModelResponse}, ... ({@code null} when none)
 * @param errorMessage the failure's message (never contains upstream keys or request values),
 *     {@code null} on success
 * @param piiFound how many values of each PII entity type (by name) the request held, empty when
 *     none or when the operation is not redacted; a refused request counts its blocked type once
 * @param caller who the call was made for (never {@code null})
 * @param cost the call's cost in USD from its actual usage and the price table; {@code null} for
 *     calls that are not priced (no admission: retrieve, list, files, ...)
 * @param prompt the versioned prompt the request was rendered from (id, version, SHA-256 of the
 *     template), {@code null} when none
 * @param guardVerdict the prompt-injection screening of the request's user content and tool results
 *     (score and matched rule ids, no text); {@code null} when it was not screened
 * @param routeReason which model answered and why ({@link CallContext#routeReason()}): {@code
 *     requested}, {@code routed: ...}, {@code escalated: ...}, {@code deferred: ...}, each possibly
 *     followed by {@code ; fallback: ...}; {@code null} for operations that choose no model
 * @param batched whether the call went through the Batch API (a deferred call, {@code
 *     DeferredCalls}), priced at the batch price
 * @param uninspected the parts of the request Warden could not inspect for personal data (images,
 *     audio, files), counted by type ({@code image_url}, {@code input_file}, ...): sent
 *     uninspected, or, when the call was refused for them ({@code uninspectable_content}), the
 *     refused ones; empty when none
 * @param budgetSettlement the settlement of the call's budget reservation ({@link
 *     BudgetHold.Charge#settlement()}), written with its record; {@code null} when none
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
    String errorType,
    Map<String, Integer> piiFound,
    Verdict guardVerdict,
    String subject,
    Object sentRequest,
    Object upstreamAnswer,
    String errorMessage,
    Caller caller,
    BigDecimal cost,
    PromptRef prompt,
    String routeReason,
    boolean batched,
    Map<String, Integer> uninspected,
    Object budgetSettlement) {
  public CallFinished {
    piiFound = piiFound == null ? Map.of() : Map.copyOf(piiFound);
    uninspected = uninspected == null ? Map.of() : Map.copyOf(uninspected);
    caller = caller == null ? Caller.ANONYMOUS : caller;
  }

  /** The prompt's id, {@code null} when the request was not rendered from a prompt. */
  public String promptId() {
    return prompt == null ? null : prompt.id();
  }

  /** The prompt's version, {@code null} when none. */
  public String promptVersion() {
    return prompt == null ? null : prompt.version();
  }
}
