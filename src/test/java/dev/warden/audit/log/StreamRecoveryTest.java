package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRecoveryTest {
  private final AuditTestKeys fixture = new AuditTestKeys();

  /** The pending rows of one owner; some already recorded elsewhere, one that cannot be. */
  private final class Outbox extends ChainAppender {
    final List<PendingStreamEntity> rows = new ArrayList<>();
    final List<String> recordedElsewhere = new ArrayList<>();
    final List<String> broken = new ArrayList<>();
    final List<AuditRecord> appended = new ArrayList<>();
    final List<List<Object>> companions = new ArrayList<>();
    String askedOwner;
    Instant askedBefore;

    @Override
    List<PendingStreamEntity> pendingOwnedBefore(String owner, Instant before) {
      askedOwner = owner;
      askedBefore = before;
      return rows;
    }

    @Override
    ChainRecord appendRecovered(GroupCommit.Entry entry, String requestId) {
      if (broken.contains(requestId)) {
        throw new IllegalStateException("constraint violated");
      }
      if (recordedElsewhere.contains(requestId)) {
        return null;
      }
      assertThat(entry.content()).isEqualTo(AuditRecords.canonical(entry.record()));
      appended.add(entry.record());
      companions.add(entry.companions());
      return ChainHasher.next(ChainHead.GENESIS, entry.record().recordId, entry.content());
    }

    void pending(String requestId) {
      PendingStreamEntity p = new PendingStreamEntity();
      p.requestId = requestId;
      p.owner = "host:/srv";
      p.operation = "chat.completions";
      p.entryPoint = "V1";
      p.principal = "alice";
      p.tenant = "default";
      p.requestedModel = "gpt-4o-mini";
      p.startedAt = AuditTestKeys.NOW;
      p.streamed = true;
      rows.add(p);
    }
  }

  @Test
  void eachPendingRowBecomesAFailedRecordUnlessRecordedElsewhereAndABrokenOneIsReported() {
    Outbox outbox = new Outbox();
    outbox.pending("a");
    outbox.pending("b");
    outbox.pending("c");
    outbox.pending("d");
    outbox.recordedElsewhere.add("b");
    outbox.broken.add("c");
    Instant before = Instant.parse("2025-03-04T06:00:00Z");

    // every row is tried; the one that could not be recovered stays, and is reported to be tried
    // again
    assertThatThrownBy(
            () -> new StreamRecovery(fixture.records, outbox).recoverInterrupted("me", before))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("1 interrupted stream(s) of server me could not be recorded");

    assertThat(outbox.askedOwner).isEqualTo("me");
    assertThat(outbox.askedBefore).isEqualTo(before);
    assertThat(outbox.appended).extracting(r -> r.requestId).containsExactly("a", "d");
    assertThat(outbox.appended)
        .allSatisfy(
            r -> {
              assertThat(r.outcome).isEqualTo("FAILED");
              assertThat(r.errorType).isEqualTo(StreamRecovery.SERVER_INTERRUPTED);
            });
  }

  @Test
  void nothingPendingRecoversNothing() {
    assertThat(new StreamRecovery(fixture.records, new Outbox()).recoverInterrupted("me", null))
        .isZero();
  }

  @Test
  void eachInterruptedCallIsChargedItsCountedInputWithItsRecord() {
    Outbox outbox = new Outbox();
    outbox.pending("a");
    outbox.rows.get(0).inputTokens = 120;
    outbox.rows.get(0).apiKeyId = "key-1";
    List<dev.warden.call.InterruptedCall> asked = new ArrayList<>();
    dev.warden.call.InterruptedCall.Charges charges =
        call -> {
          asked.add(call);
          return new dev.warden.call.InterruptedCall.Charge(
              call.inputTokens(),
              new java.math.BigDecimal("0.000018"),
              List.of("usage of " + call.requestId(), "settlement of " + call.requestId()));
        };

    assertThat(
            new StreamRecovery(fixture.records, outbox, List.of(charges))
                .recoverInterrupted("me", null))
        .isEqualTo(1);

    assertThat(asked)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.requestId()).isEqualTo("a");
              assertThat(c.principal()).isEqualTo("alice");
              assertThat(c.apiKeyId()).isEqualTo("key-1");
              assertThat(c.model()).isEqualTo("gpt-4o-mini");
              assertThat(c.inputTokens()).isEqualTo(120);
            });
    AuditRecord r = outbox.appended.get(0);
    assertThat(r.tokensInput).isEqualTo(120);
    assertThat(r.cost).isEqualByComparingTo("0.000018");
    // the usage entry and the settlement commit with the record
    assertThat(outbox.companions.get(0)).containsExactly("usage of a", "settlement of a");
  }
}
