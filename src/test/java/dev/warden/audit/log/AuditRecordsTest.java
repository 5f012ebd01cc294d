package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
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
    assertThat(AuditRecords.canonical(r).fieldNames())
        .hasSize(35)
        .contains("record_id", "request_enc", "answer_enc", "error_enc", "cost", "guard_rules")
        .doesNotContain("seq", "prev_hash", "hash");
    AuditRecord changed = record();
    changed.tokensOutput = 1;
    assertThat(AuditRecords.canonical(changed)).isNotEqualTo(AuditRecords.canonical(r));
    changed = record();
    changed.requestEnc = new byte[] {1, 2, 4};
    assertThat(AuditRecords.canonical(changed)).isNotEqualTo(AuditRecords.canonical(r));
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
