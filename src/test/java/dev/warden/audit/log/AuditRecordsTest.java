package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuditRecordsTest {

  private static AuditRecord record() {
    AuditRecord r = new AuditRecord();
    r.recordId = "00000000-0000-0000-0000-000000000001";
    r.createdAt = Instant.parse("2026-01-02T03:04:05.123456Z");
    r.requestId = "req";
    r.entryPoint = "CDI";
    r.operation = "chat.completions";
    r.principal = "anonymous";
    r.tenant = "default";
    r.keySubject = "tenant:default";
    r.outcome = "SUCCEEDED";
    r.requestEnc = new byte[] {1, 2, 3};
    return r;
  }

  @Test
  void everyStoredColumnButTheChainOnesIsHashed() {
    AuditRecord r = record();
    assertThat(r.recordFormat).isEqualTo(2);
    assertThat(AuditRecords.canonical(r).fieldNames())
        .hasSize(37)
        .contains("record_id", "request_enc", "answer_enc", "error_enc", "cost", "guard_rules")
        .endsWith("record_format", "route_reason")
        .doesNotContain("seq", "prev_hash", "hash");
    AuditRecord routed = record();
    routed.routeReason = "escalated: use case triage, after gpt-4o-mini: the answer failed";
    assertThat(AuditRecords.canonical(routed)).isNotEqualTo(AuditRecords.canonical(r));
    AuditRecord changed = record();
    changed.tokensOutput = 1;
    assertThat(AuditRecords.canonical(changed)).isNotEqualTo(AuditRecords.canonical(r));
    changed = record();
    changed.requestEnc = new byte[] {1, 2, 4};
    assertThat(AuditRecords.canonical(changed)).isNotEqualTo(AuditRecords.canonical(r));
  }

  /**
   * A record written before route reasons (format 1) must hash to exactly what it hashed to then:
   * the digest below was computed by the code before format 2 existed.
   */
  @Test
  void formatOneRecordsHashExactlyAsBefore() throws Exception {
    AuditRecord r = legacy();
    assertThat(AuditRecords.canonical(r).fieldNames()).hasSize(35).doesNotContain("route_reason");
    assertThat(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(AuditRecords.canonical(r).encoded())))
        .isEqualTo("6605fc11bcf400f9b303bbf9c5ba702e287b6ca879ee2fa5716a576bc4520ba7");
  }

  @Test
  void relabellingTheFormatOrAddingAReasonToAnOldRecordChangesItsHash() {
    AuditRecord old = legacy();
    AuditRecord withReason = legacy();
    withReason.routeReason = "requested";
    assertThat(AuditRecords.canonical(withReason)).isNotEqualTo(AuditRecords.canonical(old));
    AuditRecord current = legacy();
    current.recordFormat = 2;
    current.routeReason = "requested";
    AuditRecord relabelled = legacy();
    relabelled.recordFormat = 1;
    relabelled.routeReason = "requested";
    assertThat(AuditRecords.canonical(relabelled)).isNotEqualTo(AuditRecords.canonical(current));
    AuditRecord stripped = legacy();
    assertThat(AuditRecords.canonical(stripped)).isNotEqualTo(AuditRecords.canonical(current));
  }

  @Test
  void uninspectedContentIsHashedWhenPresentAndRecordsWithoutItHashAsBefore() {
    AuditRecord plain = record();
    assertThat(AuditRecords.canonical(plain).fieldNames()).doesNotContain("uninspected");
    AuditRecord withImages = record();
    withImages.uninspected = "image_url=2";
    assertThat(AuditRecords.canonical(withImages).fieldNames()).endsWith("uninspected");
    assertThat(AuditRecords.canonical(withImages)).isNotEqualTo(AuditRecords.canonical(plain));
    AuditRecord edited = record();
    edited.uninspected = "image_url=1";
    assertThat(AuditRecords.canonical(edited)).isNotEqualTo(AuditRecords.canonical(withImages));
    // an old record keeps its hash (the column is null), and a value added to it changes it
    AuditRecord old = legacy();
    AuditRecord gained = legacy();
    gained.uninspected = "file=1";
    assertThat(AuditRecords.canonical(gained)).isNotEqualTo(AuditRecords.canonical(old));
    // the export keeps it, so that an exported chain verifies
    AuditRecord back = ExportFormat.fromJson(ExportFormat.toJson(withImages));
    assertThat(back.uninspected).isEqualTo("image_url=2");
    assertThat(AuditRecords.canonical(back)).isEqualTo(AuditRecords.canonical(withImages));
    assertThat(ExportFormat.fromJson(ExportFormat.toJson(plain)).uninspected).isNull();
  }

  private static AuditRecord legacy() {
    AuditRecord r = record();
    r.recordFormat = 1;
    r.startedAt = Instant.parse("2026-01-02T03:04:04.000001Z");
    r.requestedModel = "gpt-4o";
    r.answeredBy = "gpt-4o-mini";
    r.fallback = "MODEL";
    r.attempts = 4;
    r.tokensInput = 10;
    r.tokensOutput = 5;
    r.cost = new BigDecimal("0.000123");
    return r;
  }

  @Test
  void costIsHashedAtTheScaleTheDatabaseStores() {
    AuditRecord a = record();
    a.cost = new BigDecimal("1.5");
    AuditRecord b = record();
    b.cost = new BigDecimal("1.500000");
    assertThat(AuditRecords.canonical(a)).isEqualTo(AuditRecords.canonical(b));
  }
}
