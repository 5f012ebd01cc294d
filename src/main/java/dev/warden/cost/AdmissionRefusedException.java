package dev.warden.cost;

import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NonRetriableOpenAiException;
import java.time.Duration;

/**
 * Warden refused a call at admission, before any upstream call: over a budget ({@link
 * BudgetExceededException}) or a rate limit ({@link RateLimitedException}). Carries the HTTP status
 * and OpenAI error fields the caller sees; never retried by Warden.
 */
public class AdmissionRefusedException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  protected AdmissionRefusedException(
      int status, String type, String code, String message, Duration retryAfter) {
    super(new ErrorInfo(status, message, type, code, null, null, retryAfter), null);
  }
}
