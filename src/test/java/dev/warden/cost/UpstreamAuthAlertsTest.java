package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.credential.CredentialRejected;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamAuthAlertsTest {

  private final List<JsonObject> posted = new ArrayList<>();
  private final UpstreamAuthAlerts alerts = new UpstreamAuthAlerts();

  {
    alerts.webhook =
        new BudgetWebhook() {
          @Override
          public void send(String alertId, JsonObject payload) {
            assertThat(payload.getString("alert_id")).isEqualTo(alertId);
            posted.add(payload);
          }
        };
    alerts.configure(Duration.ofMinutes(5));
  }

  private static CredentialRejected at(String when, String upstream) {
    return new CredentialRejected(
        upstream, "Authorization", "gpt-4o", "invalid_api_key", "req_123", Instant.parse(when));
  }

  @Test
  void oneAlertPerUpstreamAndPeriodEveryRejectionCounted() {
    alerts.rejected(at("2026-12-01T10:00:01Z", "https://api.openai.com"));
    alerts.rejected(at("2026-12-01T10:03:00Z", "https://api.openai.com"));
    alerts.rejected(at("2026-12-01T10:03:00Z", "https://example.openai.azure.com"));
    alerts.rejected(at("2026-12-01T10:05:00Z", "https://api.openai.com")); // the next period

    assertThat(alerts.rejections()).isEqualTo(4);
    assertThat(posted).hasSize(3);
    JsonObject first = posted.get(0);
    assertThat(first.getString("message_id")).isEqualTo("WARDEN0120E");
    assertThat(first.getString("type")).isEqualTo("upstream.authentication_failed");
    assertThat(first.getString("upstream")).isEqualTo("https://api.openai.com");
    assertThat(first.getString("credential_header")).isEqualTo("Authorization");
    assertThat(first.getString("model")).isEqualTo("gpt-4o");
    assertThat(first.getString("code")).isEqualTo("invalid_api_key");
    assertThat(first.getString("upstream_request_id")).isEqualTo("req_123");
    assertThat(first.getInt("status")).isEqualTo(401);
    // the same id on every server for the same upstream and period; another period, another id
    assertThat(first.getString("alert_id"))
        .isEqualTo(
            UpstreamAuthAlerts.alertId(
                "https://api.openai.com", Instant.parse("2026-12-01T10:00:00Z").toEpochMilli()));
    assertThat(posted.get(2).getString("alert_id")).isNotEqualTo(first.getString("alert_id"));
  }
}
