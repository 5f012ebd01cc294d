package dev.warden.call.refusal;

/**
 * 429, type {@code insufficient_quota}, code {@value #CODE}: the call's worst case does not fit one
 * of the caller's budgets (user, tenant or API key; daily or monthly). The type is OpenAI's own for
 * an exhausted quota, so SDKs raise their usual 429 error and, seeing {@code x-should-retry:
 * false}, do not retry; no {@code Retry-After} is sent because waiting a few seconds will not help.
 */
public class BudgetRefusal extends AdmissionRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "budget_exceeded";

  public BudgetRefusal(String scope, String period) {
    super(
        429,
        "insufficient_quota",
        CODE,
        null,
        "Request refused: the "
            + period
            + " budget of this "
            + scope
            + " would be exceeded. It resets at the start of the next "
            + ("monthly".equals(period) ? "month" : "day")
            + " (UTC).",
        null);
  }
}
