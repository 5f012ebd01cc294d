package dev.warden.call.refusal;

import java.time.Duration;

/**
 * Warden refused a call at admission, before any upstream call: the request cannot fit the model's
 * context window ({@link ContextWindowRefusal}), the caller is over a rate limit ({@link
 * RateLimitRefusal}) or its worst case does not fit a budget ({@link BudgetRefusal}).
 */
public abstract class AdmissionRefusal extends WardenRefusal {
  private static final long serialVersionUID = 1L;

  protected AdmissionRefusal(
      int status, String type, String code, String param, String message, Duration retryAfter) {
    super(status, type, code, param, message, retryAfter, null);
  }
}
