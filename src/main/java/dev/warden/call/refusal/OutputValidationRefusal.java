package dev.warden.call.refusal;

import java.util.List;

/**
 * 502 {@code server_error}, code {@value #CODE}: the upstream answered, but its output failed
 * validation before anything acted on it — a structured output that does not match its JSON schema
 * or its Bean Validation constraints, tool call arguments that do not match the tool's schema, a
 * call of a tool that was not offered, or a tool call an application validator rejected. The answer
 * is withheld; the message lists where and which rule failed, never a value. Not retried (the call
 * was paid for; routing may escalate, see docs/cost-control.md).
 */
public class OutputValidationRefusal extends WardenRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code on {@code /v1}. */
  public static final String CODE = "output_validation_failed";

  private final List<String> violations;

  public OutputValidationRefusal(List<String> violations) {
    super(
        502,
        "server_error",
        CODE,
        null,
        "the model's output failed validation and was withheld: "
            + String.join("; ", violations.subList(0, Math.min(5, violations.size())))
            + (violations.size() > 5 ? " (and " + (violations.size() - 5) + " more)" : ""),
        null,
        null);
    this.violations = List.copyOf(violations);
  }

  /** Every violation, as {@code location: message}. */
  public List<String> violations() {
    return violations;
  }
}
