package dev.warden.audit.log;

import static dev.warden.audit.log.AuditRecords.ANSWER;
import static dev.warden.audit.log.AuditRecords.ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.EntryPoint;
import dev.warden.call.FallbackKind;
import dev.warden.call.GuardAction;
import dev.warden.call.Outcome;
import dev.warden.call.PromptRef;
import dev.warden.call.Verdict;
import dev.warden.crypto.AuditCryptoException;
import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditRecordFactoryTest {
  private final AuditTestKeys fixture = new AuditTestKeys();

  /** A finished chat call of alice at acme, with everything set that the record keeps. */
  static CallFinished call(String subject, Object sentRequest, String routeReason) {
    return new CallFinished(
        "req-1",
        EntryPoint.V1,
        "chat.completions",
        false,
        "gpt-4o-mini",
        "gpt-4o",
        "gpt-4o-2024-08-06",
        FallbackKind.MODEL,
        2,
        "upstream-1",
        AuditTestKeys.NOW.minusSeconds(1),
        Duration.ofMillis(1234),
        Duration.ofMillis(56),
        new TokenUsage(100, 20, 30, 4),
        Outcome.SUCCEEDED,
        null,
        Map.of("PHONE", 1, "EMAIL", 2),
        new Verdict(0.25, List.of("rule-b", "rule-a"), GuardAction.FLAG),
        subject,
        sentRequest,
        Map.of("answer", "hi"),
        null,
        new Caller("alice", "acme", null),
        new BigDecimal("0.0012345678"),
        new PromptRef("greeting", "1.2.0", "abc"),
        routeReason,
        false,
        Map.of(),
        null);
  }

  @Test
  void aCallsRecordKeepsItsMetadataAndItsContentUnderTheSubjectsKey() {
    AuditRecord r = fixture.records.forCall(call("jane", Map.of("q", "hello"), "cheapest"));

    assertThat(r.requestId).isEqualTo("req-1");
    assertThat(r.entryPoint).isEqualTo("V1");
    assertThat(r.principal).isEqualTo("alice");
    assertThat(r.tenant).isEqualTo("acme");
    assertThat(r.createdAt).isEqualTo(AuditTestKeys.NOW.truncatedTo(ChronoUnit.MICROS));
    assertThat(r.dataSubject).isEqualTo(fixture.pseudonyms.pseudonym("acme", "jane"));
    assertThat(r.keySubject).isEqualTo("subject:" + r.dataSubject);
    assertThat(r.cost).isEqualTo(new BigDecimal("0.001235"));
    assertThat(r.fallback).isEqualTo("MODEL");
    assertThat(r.attempts).isEqualTo(2);
    assertThat(r.latencyMs).isEqualTo(1234);
    assertThat(r.timeToFirstEventMs).isEqualTo(56L);
    assertThat(List.of(r.tokensInput, r.tokensCached, r.tokensOutput, r.tokensReasoning))
        .containsExactly(100L, 20L, 30L, 4L);
    assertThat(r.outcome).isEqualTo("SUCCEEDED");
    assertThat(r.promptId).isEqualTo("greeting");
    assertThat(r.promptVersion).isEqualTo("1.2.0+sha256.abc");
    assertThat(r.piiFound).isEqualTo("EMAIL=2,PHONE=1");
    assertThat(r.guardRules).isEqualTo("rule-a,rule-b");
    assertThat(r.guardAction).isEqualTo("FLAG");
    assertThat(r.routeReason).isEqualTo("cheapest");

    assertThat(fixture.request(r)).isEqualTo("{\"q\":\"hello\"}");
    assertThat(fixture.decrypt(r, ANSWER, r.answerEnc)).isEqualTo("{\"answer\":\"hi\"}");
    assertThat(r.errorEnc).isNull();
    // the associated data binds each ciphertext to its column
    assertThatThrownBy(() -> fixture.decrypt(r, ANSWER, r.requestEnc))
        .isInstanceOf(AuditCryptoException.class);
  }

  @Test
  void withoutASubjectTheTenantsKeyIsUsedAndALongRouteReasonIsClipped() {
    AuditRecord r = fixture.records.forCall(call(null, "plain", "x".repeat(1500)));

    assertThat(r.dataSubject).isNull();
    assertThat(r.keySubject).isEqualTo("tenant:acme");
    assertThat(fixture.request(r)).isEqualTo("\"plain\"");
    assertThat(r.routeReason).hasSize(1000);
  }

  @Test
  void contentThatCannotBeSerialisedIsRecordedAsItsTypeOnly() {
    AuditRecord r = fixture.records.forCall(call(null, new Unserialisable(), null));

    assertThat(fixture.request(r))
        .isEqualTo("{\"warden_unserialisable\":\"" + Unserialisable.class.getName() + "\"}");
  }

  /** A value whose JSON-B serialisation fails. */
  public static final class Unserialisable {
    public String getSecret() {
      throw new IllegalStateException("never serialised");
    }
  }

  @Test
  void anInterruptedStreamIsAFailedRecordOfItsPendingRow() {
    PendingStreamEntity pending = new PendingStreamEntity();
    pending.requestId = "stream-1";
    pending.owner = "host:/srv";
    pending.operation = "chat.completions";
    pending.entryPoint = "V1";
    pending.principal = "bob";
    pending.tenant = "acme";
    pending.requestedModel = "gpt-4o-mini";
    pending.startedAt = Instant.parse("2025-03-04T05:00:00.000000999Z");
    pending.streamed = true;

    AuditRecord r = fixture.records.interrupted(pending);

    assertThat(r.requestId).isEqualTo("stream-1");
    assertThat(r.principal).isEqualTo("bob");
    assertThat(r.streamed).isTrue();
    assertThat(r.startedAt).isEqualTo(Instant.parse("2025-03-04T05:00:00Z"));
    assertThat(r.outcome).isEqualTo("FAILED");
    assertThat(r.errorType).isEqualTo(StreamRecovery.SERVER_INTERRUPTED);
    assertThat(r.keySubject).isEqualTo("tenant:acme");
    assertThat(r.latencyMs).isZero();
    assertThat(r.requestEnc).isNull();
    assertThat(r.answerEnc).isNull();
    assertThat(fixture.decrypt(r, ERROR, r.errorEnc)).contains("the server stopped");
  }

  @Test
  void anOperationsDetailsAreUnderTheTenantsKeyEvenWithASubject() {
    AuditRecord r =
        fixture.records.operation(
            "audit.hold.place", "CDI", "carol", "acme", "pseudonym-1", Map.of("hold_id", "h1"));

    assertThat(r.requestId).isNotBlank().isNotEqualTo(r.recordId);
    assertThat(r.operation).isEqualTo("audit.hold.place");
    assertThat(r.principal).isEqualTo("carol");
    assertThat(r.dataSubject).isEqualTo("pseudonym-1");
    assertThat(r.keySubject).isEqualTo("tenant:acme");
    assertThat(r.startedAt).isEqualTo(r.createdAt);
    assertThat(r.attempts).isZero();
    assertThat(r.outcome).isEqualTo("SUCCEEDED");
    assertThat(fixture.request(r)).isEqualTo("{\"hold_id\":\"h1\"}");
    assertThat(
            fixture.records.operation("audit.erase", "CDI", "carol", "acme", "p", null).requestEnc)
        .isNull();
  }
}
