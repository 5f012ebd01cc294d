package dev.warden.openai.error;

/**
 * 400: Warden refused the request before any upstream call because a policy forbids it — a value of
 * a blocked PII type ({@code code} {@code pii_blocked}) or content that screening blocks as a
 * prompt injection ({@code prompt_injection_detected}). The caller can fix the input. The message
 * names at most the entity type, never a value. Nothing was sent upstream.
 */
public class RequestRefusedException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  /** The code of a request refused for a blocked PII type. */
  public static final String PII_BLOCKED = "pii_blocked";

  /** The code of a request refused as a prompt injection. */
  public static final String PROMPT_INJECTION = "prompt_injection_detected";

  public RequestRefusedException(String code, String message, Throwable cause) {
    super(new ErrorInfo(400, message, "invalid_request_error", code, null, null, null), cause);
  }

  /** A refusal for a value of the blocked entity type {@code entityType} (e.g. {@code SECRET}). */
  public static RequestRefusedException piiBlocked(String entityType, Throwable cause) {
    return new RequestRefusedException(
        PII_BLOCKED,
        "Request refused: it contains a value of a blocked type (" + entityType + ")",
        cause);
  }

  /** A refusal for content that prompt-injection screening blocks. */
  public static RequestRefusedException promptInjection() {
    return new RequestRefusedException(
        PROMPT_INJECTION, "Request refused: the content looks like a prompt injection", null);
  }
}
