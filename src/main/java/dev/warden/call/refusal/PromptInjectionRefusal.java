package dev.warden.call.refusal;

/**
 * 400 {@code invalid_request_error}, code {@value #CODE}: prompt-injection screening blocks the
 * request's user content or tool results. The caller can fix the input; nothing was sent upstream.
 */
public class PromptInjectionRefusal extends WardenRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "prompt_injection_detected";

  public PromptInjectionRefusal() {
    super(
        400,
        "invalid_request_error",
        CODE,
        null,
        "Request refused: the content looks like a prompt injection",
        null,
        null);
  }
}
