package dev.warden.cost;

import dev.warden.config.Jsonp;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A soft budget alert: a threshold crossed for the first time in a period. What the webhook
 * receives ({@link #toJson()}); never any prompt or answer.
 *
 * @param threshold the share of the limit crossed (e.g. 0.8)
 * @param spent the spend of the period after the settlement that crossed it (USD)
 * @param limit the period's limit (USD)
 */
public record BudgetAlert(
    String scope,
    String subject,
    String period,
    LocalDate periodStart,
    BigDecimal threshold,
    BigDecimal spent,
    BigDecimal limit,
    Instant raisedAt) {

  /** The message id of the alert, in the log and in the webhook's payload. */
  public static final String MESSAGE_ID = "WARDEN0620W";

  /**
   * The alert's own id: the same for the same budget, period and threshold on every server and
   * every delivery, so a receiver can drop duplicates.
   */
  public String alertId() {
    String key =
        scope
            + "|"
            + subject
            + "|"
            + period
            + "|"
            + periodStart
            + "|"
            + threshold.stripTrailingZeros().toPlainString();
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The webhook's JSON payload. */
  public JsonObject toJson() {
    return Jsonp.createObjectBuilder()
        .add("message_id", MESSAGE_ID)
        .add("alert_id", alertId())
        .add("type", "budget.threshold_crossed")
        .add(
            "budget",
            Jsonp.createObjectBuilder()
                .add("scope", scope)
                .add("subject", subject)
                .add("period", period)
                .add("period_start", periodStart.toString()))
        .add("threshold", threshold.stripTrailingZeros().toPlainString())
        .add("spent_usd", spent.setScale(6, RoundingMode.HALF_UP).toPlainString())
        .add("limit_usd", limit.stripTrailingZeros().toPlainString())
        .add("raised_at", raisedAt.toString())
        .build();
  }
}
