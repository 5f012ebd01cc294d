package dev.warden.guard;

import java.util.List;

/**
 * An application's own check of a tool call before anything acts on it, for tools with side effects
 * (send a payment, delete a record). Implement it as a CDI bean in the application; Warden runs
 * every bean whose {@link #appliesTo} accepts the tool on every tool call the model proposes, after
 * the arguments have passed the tool's JSON schema, and before the call is handed to anyone (the
 * injected API, {@code /v1}, or Warden's own tool loop). Any violation rejects the whole answer: it
 * is reported ({@code output_validation_failed}) and recorded, never acted on.
 *
 * <p>Validators see the arguments as the caller would (PII restored). They must be fast and must
 * not have side effects themselves; an exception counts as a violation.
 */
public interface ToolCallValidator {

  /** Whether this validator checks calls of the tool {@code toolName}. */
  boolean appliesTo(String toolName);

  /** The violations of {@code call}; empty to approve it. */
  List<OutputViolation> validate(ProposedToolCall call);
}
