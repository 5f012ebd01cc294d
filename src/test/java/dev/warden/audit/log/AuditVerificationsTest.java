package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.chain.BreakReason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a stored background verification reads ({@link AuditVerifications#view}). */
class AuditVerificationsTest {
  private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");

  @Test
  void aRunningVerificationHasNoResult() {
    AuditVerificationEntity row = running();
    row.recordsChecked = 3000;

    AuditVerifications.Verification v = AuditVerifications.view(row, START.plusSeconds(30));

    assertThat(v.state()).isEqualTo(AuditVerifications.State.RUNNING);
    assertThat(v.recordsChecked()).isEqualTo(3000);
    assertThat(v.recordsTotal()).isEqualTo(5000);
    assertThat(v.result()).isEmpty();
    assertThat(v.finishedAt()).isNull();
    assertThat(v.error()).isNull();
  }

  @Test
  void aRunningVerificationWhoseRowStoppedMovingHasFailed() {
    AuditVerificationEntity row = running();
    row.updatedAt = START.plusSeconds(60);

    assertThat(AuditVerifications.view(row, row.updatedAt.plus(AuditVerifications.STALE)).state())
        .isEqualTo(AuditVerifications.State.RUNNING);
    AuditVerifications.Verification v =
        AuditVerifications.view(row, row.updatedAt.plus(AuditVerifications.STALE).plusSeconds(1));
    assertThat(v.state()).isEqualTo(AuditVerifications.State.FAILED);
    assertThat(v.error()).contains("stopped");
    assertThat(v.finishedAt()).isEqualTo(row.updatedAt);
    assertThat(v.result()).isEmpty();
  }

  @Test
  void aDoneVerificationReadsBackItsResultAndItsBreak() {
    AuditVerificationEntity row = running();
    row.state = "DONE";
    row.recordsChecked = 5000;
    row.finishedAt = START.plusSeconds(90);
    row.ok = false;
    row.checkpointsChecked = 4L;
    row.purgedRangesChecked = 1L;
    row.headSequence = 5001L;
    row.breakSequence = 17L;
    row.breakRecordId = "rec-17";
    row.breakReason = "CONTENT_MODIFIED";
    row.breakDetail = "the hash differs";

    AuditVerifications.Verification v = AuditVerifications.view(row, START.plusSeconds(3600));

    assertThat(v.state()).isEqualTo(AuditVerifications.State.DONE);
    AuditVerifications.Result r = v.result().orElseThrow();
    assertThat(r.ok()).isFalse();
    assertThat(r.recordsChecked()).isEqualTo(5000);
    assertThat(r.checkpointsChecked()).isEqualTo(4);
    assertThat(r.purgedRangesChecked()).isEqualTo(1);
    assertThat(r.headSequence()).isEqualTo(5001);
    assertThat(r.firstBreak())
        .hasValueSatisfying(
            b -> {
              assertThat(b.sequence()).isEqualTo(17);
              assertThat(b.recordId()).contains("rec-17");
              assertThat(b.reason()).isEqualTo(BreakReason.CONTENT_MODIFIED);
              assertThat(b.detail()).isEqualTo("the hash differs");
            });
  }

  @Test
  void anIntactChainHasNoBreak() {
    AuditVerificationEntity row = running();
    row.state = "DONE";
    row.ok = true;
    row.finishedAt = START.plusSeconds(1);

    AuditVerifications.Result r = AuditVerifications.view(row, START).result().orElseThrow();

    assertThat(r.ok()).isTrue();
    assertThat(r.firstBreak()).isEmpty();
  }

  private static AuditVerificationEntity running() {
    AuditVerificationEntity row = new AuditVerificationEntity();
    row.id = "v-1";
    row.state = "RUNNING";
    row.requestedBy = "dev-auditor";
    row.recordsTotal = 5000;
    row.startedAt = START;
    row.updatedAt = START;
    return row;
  }

  @Test
  void theStoreKeepsProgressAndTheResultInTheDatabase() {
    try (SeAuditStack stack =
        new SeAuditStack(
            SeAuditStack.Db.h2(
                "warden_verif_" + java.util.UUID.randomUUID().toString().replace("-", "")),
            1,
            new SeAuditStack.Keys())) {
      VerificationStore store = new VerificationStore();
      store.clock = java.time.Clock.fixed(START, java.time.ZoneOffset.UTC);
      AuditVerifications.Verification v =
          stack.transaction(
              em -> {
                store.em = em;
                return store.create("dev-auditor", 1500);
              });
      assertThat(v.state()).isEqualTo(AuditVerifications.State.RUNNING);
      assertThat(v.recordsTotal()).isEqualTo(1500);

      stack.transaction(
          em -> {
            store.em = em;
            store.progress(v.id(), 1000);
            return null;
          });
      AuditVerifications.Verification moved = read(stack, store, v.id());
      assertThat(moved.recordsChecked()).isEqualTo(1000);
      assertThat(moved.recordsTotal()).isEqualTo(1500);
      stack.transaction(
          em -> {
            store.em = em;
            store.progress(v.id(), 2000); // more records than counted at the start
            return null;
          });
      assertThat(read(stack, store, v.id()).recordsTotal()).isEqualTo(2000);

      stack.transaction(
          em -> {
            store.em = em;
            store.done(
                v.id(),
                new AuditVerifications.Result(
                    false,
                    2100,
                    3,
                    0,
                    2101,
                    java.util.Optional.of(
                        new dev.warden.audit.chain.ChainBreak(
                            7, "rec-7", BreakReason.CONTENT_MODIFIED, "differs"))));
            return null;
          });
      AuditVerifications.Verification done = read(stack, store, v.id());
      assertThat(done.state()).isEqualTo(AuditVerifications.State.DONE);
      assertThat(done.recordsChecked()).isEqualTo(2100);
      assertThat(done.recordsTotal()).isEqualTo(2100);
      assertThat(done.finishedAt()).isEqualTo(START);
      assertThat(done.result().orElseThrow().firstBreak().orElseThrow().recordId())
          .contains("rec-7");
      // progress after the end changes nothing
      stack.transaction(
          em -> {
            store.em = em;
            store.progress(v.id(), 5000);
            store.fail(v.id() + "-other", "nothing to fail");
            return null;
          });
      assertThat(read(stack, store, v.id()).recordsChecked()).isEqualTo(2100);
    }
  }

  private static AuditVerifications.Verification read(
      SeAuditStack stack, VerificationStore store, String id) {
    return stack.transaction(
        em -> {
          store.em = em;
          return store.read(id).orElseThrow();
        });
  }
}
