package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class BudgetAlertTest {

  private static BudgetAlert alert(String threshold, String spent, Instant at) {
    return new BudgetAlert(
        "tenant",
        "acme",
        "monthly",
        LocalDate.parse("2026-11-01"),
        new BigDecimal(threshold),
        new BigDecimal(spent),
        new BigDecimal("100"),
        at);
  }

  @Test
  void theAlertIdIsTheSameForTheSameBudgetPeriodAndThresholdWhateverElse() {
    Instant t = Instant.parse("2026-11-22T10:00:00Z");
    BudgetAlert a = alert("0.8", "80.1", t);
    BudgetAlert again = alert("0.80", "80.7", t.plusSeconds(5)); // another server, later
    assertThat(again.alertId()).isEqualTo(a.alertId());
    assertThat(alert("0.9", "90", t).alertId()).isNotEqualTo(a.alertId());
  }

  @Test
  void thePayloadNamesTheBudgetThresholdSpendAndLimit() {
    JsonObject json = alert("0.8", "80.1234567", Instant.parse("2026-11-22T10:00:00Z")).toJson();
    assertThat(json.getString("message_id")).isEqualTo("WARDEN0620W");
    assertThat(json.getJsonObject("budget").getString("scope")).isEqualTo("tenant");
    assertThat(json.getJsonObject("budget").getString("subject")).isEqualTo("acme");
    assertThat(json.getJsonObject("budget").getString("period_start")).isEqualTo("2026-11-01");
    assertThat(json.getString("threshold")).isEqualTo("0.8");
    assertThat(json.getString("spent_usd")).isEqualTo("80.123457");
    assertThat(json.getString("limit_usd")).isEqualTo("100");
    assertThat(json.keySet())
        .containsExactlyInAnyOrder(
            "message_id",
            "alert_id",
            "type",
            "budget",
            "threshold",
            "spent_usd",
            "limit_usd",
            "raised_at");
  }
}
