package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Health identifiers and national phone formats over {@code /v1}: an NHS number, an NPI, a Medicare
 * beneficiary identifier and a UK phone number written nationally reach the upstream as
 * placeholders for tenant {@code health-it}, whose phone regions are {@code GB} ({@code
 * warden.pii.tenant.health-it.phone.regions} on the test server); the audit record counts them by
 * type; the caller gets the values back. Order, invoice and tracking numbers pass unchanged, and a
 * tenant on the default region (US) does not read a UK national number as a phone number. In the
 * container (to read the audit log), calling {@code /v1} over HTTP with a JWT as a client would.
 */
class HealthPiiIT extends WardenIntegrationTest {

  private static final String TENANT = "health-it";
  private static final String NHS = "943 476 5919";
  private static final String NPI = "1234567893";
  private static final String MBI = "1EG4-TE5-MK73";
  private static final String UK_PHONE = "020 7946 0958";
  private static final String ORDER = "Order 1234567897.";
  // the mock echoes the first 80 characters of the (redacted) user text: keep the PII within them
  private static final String TEXT =
      "NHS " + NHS + ", NPI " + NPI + ", MBI " + MBI + ", tel " + UK_PHONE + ". " + ORDER;
  private static final String REDACTED =
      "NHS <NHS_NUMBER_1>, NPI <NPI_1>, MBI <MBI_1>, tel <PHONE_1>. " + ORDER;

  @Deployment
  static WebArchive deployment() throws Exception {
    // the assertions run inside Liberty: AssertJ goes with them
    return Deployments.wardenWithAssertJ();
  }

  @Inject AuditReader audit;

  /** {@code Authorization} of a caller of tenant {@code health-it} (role ai-user). */
  private static String healthCaller() throws Exception {
    return TestJwts.install().bearer("hana@clinic.example", TENANT, "ai-user");
  }

  private static JsonObject chat(String text, boolean stream) {
    return Json.createObjectBuilder()
        .add("model", "gpt-4o-mini")
        .add("stream", stream)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", text)))
        .build();
  }

  /** The one body the mock received for the chat, then a clean mock. */
  private String receivedOnce() {
    List<JsonObject> received = mock.find(MockAdmin.request("POST", CHAT));
    assertThat(received).hasSize(1);
    mock.reset();
    return received.get(0).getString("body");
  }

  /** The one audit record of the response's request id, once written. */
  private AuditRecord recordOf(HttpResponse<String> response) {
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> audit.byRequestId(requestId), records -> records.size() == 1)
        .get(0);
  }

  private static String content(HttpResponse<String> response) {
    return json(response.body())
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .getString("content");
  }

  @Test
  void healthIdentifiersLeaveRedactedAreCountedAndComeBack() throws Exception {
    HttpResponse<String> response = http().post(CHAT, healthCaller(), chat(TEXT, false));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String sent =
        json(receivedOnce()).getJsonArray("messages").getJsonObject(0).getString("content");
    assertThat(sent).isEqualTo(REDACTED);
    assertThat(content(response)).isEqualTo("Mock answer to: " + TEXT);
    AuditRecord record = recordOf(response);
    assertThat(record.getTenant()).isEqualTo(TENANT);
    assertThat(record.getPiiFound()).isEqualTo("MBI=1,NHS_NUMBER=1,NPI=1,PHONE=1");
  }

  @Test
  void aStreamedAnswerIsRehydratedAcrossChunks() throws Exception {
    HttpResponse<String> response = http().post(CHAT, healthCaller(), chat(TEXT, true));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(receivedOnce()).contains("<NHS_NUMBER_1>").doesNotContain(NHS, NPI, MBI, UK_PHONE);
    StringBuilder text = new StringBuilder();
    List<String> events =
        response
            .body()
            .lines()
            .filter(l -> l.startsWith("data: "))
            .map(l -> l.substring(6))
            .toList();
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    for (String e : events.subList(0, events.size() - 1)) {
      JsonObject delta = json(e).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      if (delta.containsKey("content") && !delta.isNull("content")) {
        text.append(delta.getString("content"));
      }
    }
    assertThat(text.toString()).isEqualTo("Mock answer to: " + TEXT);
    assertThat(response.body()).doesNotContain("<NHS_NUMBER_", "<NPI_", "<MBI_", "<PHONE_");
  }

  @Test
  void orderInvoiceAndTrackingNumbersPassUnchanged() throws Exception {
    String text =
        "Order 1234567890, invoice INV-2024-000123, UPS 1Z999AA10123456784 for the clinic";
    HttpResponse<String> response = http().post(CHAT, healthCaller(), chat(text, false));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String sent =
        json(receivedOnce()).getJsonArray("messages").getJsonObject(0).getString("content");
    assertThat(sent).isEqualTo(text);
    assertThat(content(response)).isEqualTo("Mock answer to: " + text);
    assertThat(recordOf(response).getPiiFound()).isNull();
  }

  @Test
  void aTenantOnTheDefaultRegionKeepsAUkNationalNumber() throws Exception {
    String text = "NHS " + NHS + ", tel " + UK_PHONE + ".";
    HttpResponse<String> response = http().post(CHAT, TestCredentials.DEV_USER, chat(text, false));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String sent =
        json(receivedOnce()).getJsonArray("messages").getJsonObject(0).getString("content");
    assertThat(sent).isEqualTo("NHS <NHS_NUMBER_1>, tel " + UK_PHONE + ".");
    AuditRecord record = recordOf(response);
    assertThat(record.getTenant()).isEqualTo("default");
    assertThat(record.getPiiFound()).isEqualTo("NHS_NUMBER=1");
  }
}
