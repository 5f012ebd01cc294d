package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.Answer;
import dev.warden.audit.chain.BreakReason;
import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.audit.log.AuditRetention;
import dev.warden.audit.log.AuditRetention.PurgeResult;
import dev.warden.audit.log.AuditVerifier;
import dev.warden.audit.log.AuditView;
import dev.warden.audit.log.AuditWriter;
import dev.warden.audit.log.LegalHold;
import dev.warden.audit.log.VerificationStore;
import dev.warden.call.Caller;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.UserTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention in the container, on the build's database: a purge "a year and a bit from now" deletes
 * every record but those under a legal hold, the chain still verifies, tampering after the purge is
 * still named, and lifting the hold lets the next purge take the held records too.
 */
class AuditRetentionIT extends WardenIntegrationTest {

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject AuditReader audit;
  @Inject AuditVerifier verifier;
  @Inject AuditRetention retention;
  @Inject JpaProbe jpa;
  @Inject UserTransaction tx;
  @Inject AuditWriter writer;
  @Inject VerificationStore verifications;

  private static final Instant LATER = Instant.now().plus(Duration.ofDays(400));

  /** Holds an earlier, failed run left active would keep everything: lift them. */
  @BeforeEach
  void liftLeftoverHolds() {
    for (LegalHold h : retention.activeHolds()) {
      retention.lift(h.holdId(), "left by an earlier test run", "AuditRetentionIT");
    }
  }

  private String chat(String text, String subject) {
    ChatCompletionRequest.Builder b =
        ChatCompletionRequest.builder()
            .model("gpt-4o-mini")
            .messages(List.of(ChatMessage.user(text)));
    if (subject != null) {
      b.safetyIdentifier(subject);
    }
    Answer<ChatCompletion> answer = openAi.chat(b.build());
    return answer.requestId();
  }

  private <T> T inTx(Callable<T> work) throws Exception {
    tx.begin();
    try {
      T result = work.call();
      tx.commit();
      return result;
    } catch (Exception | Error e) {
      tx.rollback();
      throw e;
    }
  }

  private long defaultTenantRecords() throws Exception {
    return sqlLong("select count(*) from audit_record where tenant = 'default'");
  }

  private long sqlLong(String query) throws Exception {
    return inTx(
        () ->
            ((Number) jpa.entityManager().createNativeQuery(query).getSingleResult()).longValue());
  }

  private void assertIntact() {
    VerificationResult result = verifier.verify();
    assertTrue(result.intact(), result.toString());
  }

  private AuditRecord only(String requestId) {
    List<AuditRecord> records = audit.byRequestId(requestId);
    assertEquals(1, records.size(), "records of " + requestId);
    return records.get(0);
  }

  private AuditRecord detached(String recordId) throws Exception {
    return inTx(
        () -> {
          EntityManager em = jpa.entityManager();
          AuditRecord loaded = em.find(AuditRecord.class, recordId);
          em.detach(loaded);
          return loaded;
        });
  }

  @Test
  void aPurgeKeepsHeldRecordsAndTheChainStillVerifiesAndTamperingIsStillNamed() throws Exception {
    String held = "held-" + UUID.randomUUID();
    AuditRecord heldRecord = only(chat("keep me for the court", held));
    String free = chat("forget me in time", "free-" + UUID.randomUUID());
    String plain = chat("nobody in particular", null);
    assertIntact();

    LegalHold hold = retention.holdSubject("default", held, "case 2026-17", "legal@example.com");
    assertTrue(hold.active());
    assertEquals(heldRecord.getDataSubject(), hold.dataSubject(), "held by pseudonym");
    assertTrue(retention.activeHolds().stream().anyMatch(h -> h.holdId().equals(hold.holdId())));

    PurgeResult purge = retention.purge(LATER, "CDI");
    assertTrue(purge.ran(), purge.toString());
    assertTrue(purge.deleted() >= 2, "deleted " + purge.deleted());
    assertFalse(purge.ranges().isEmpty());
    assertTrue(audit.byRequestId(free).isEmpty(), "the expired record is gone");
    assertTrue(audit.byRequestId(plain).isEmpty(), "the expired record is gone");
    assertEquals(heldRecord.getHash().length, only(heldRecord.getRequestId()).getHash().length);
    assertEquals(
        AuditView.State.PRESENT,
        audit.read(heldRecord.getRecordId()).orElseThrow().request().state(),
        "the held record still reads");
    List<AuditRecord> holdRecords = audit.byOperation(AuditRetention.HOLD_PLACE);
    AuditRecord holdRecord =
        holdRecords.stream()
            .filter(r -> heldRecord.getDataSubject().equals(r.getDataSubject()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the placed hold is recorded and kept"));
    assertTrue(
        audit
            .read(holdRecord.getRecordId())
            .orElseThrow()
            .request()
            .value()
            .contains("case 2026-17"));
    AuditRecord purgeRecord = audit.read(purge.recordId().orElseThrow()).orElseThrow().record();
    assertEquals(AuditRetention.PURGE, purgeRecord.getOperation());
    assertTrue(
        audit
            .read(purgeRecord.getRecordId())
            .orElseThrow()
            .request()
            .value()
            .contains("\"deleted\":" + purge.deleted()));

    VerificationResult after = verifier.verify();
    assertTrue(after.intact(), after.toString());
    assertTrue(after.purgedRangesChecked() >= 1, after.toString());

    // tampering after the purge: an edited kept record
    sqlUpdate(
        "update audit_record set tokens_output = tokens_output + 1 where record_id = ?1",
        heldRecord.getRecordId());
    try {
      ChainBreak b = verifier.verify().firstBreak().orElseThrow();
      assertEquals(BreakReason.CONTENT_MODIFIED, b.reason());
      assertEquals(heldRecord.getSequence(), b.sequence());
    } finally {
      sqlUpdate(
          "update audit_record set tokens_output = tokens_output - 1 where record_id = ?1",
          heldRecord.getRecordId());
    }
    assertIntact();

    // tampering after the purge: a kept record deleted next to a purged gap
    AuditRecord copy = detached(heldRecord.getRecordId());
    sqlUpdate("delete from audit_record where record_id = ?1", heldRecord.getRecordId());
    try {
      ChainBreak b = verifier.verify().firstBreak().orElseThrow();
      assertEquals(BreakReason.RECORD_MISSING, b.reason(), b.toString());
      assertTrue(b.sequence() <= heldRecord.getSequence(), b.toString());
    } finally {
      inTx(
          () -> {
            jpa.entityManager().persist(copy);
            return null;
          });
    }
    assertIntact();

    // lifted: the next purge takes the held record too
    LegalHold lifted =
        retention.lift(hold.holdId(), "case closed", "legal@example.com").orElseThrow();
    assertFalse(lifted.active());
    assertEquals("legal@example.com", lifted.liftedBy());
    assertTrue(retention.lift(hold.holdId(), "again", "x").isEmpty(), "only active holds lift");
    assertTrue(retention.allHolds().stream().anyMatch(h -> h.holdId().equals(hold.holdId())));
    assertFalse(retention.activeHolds().stream().anyMatch(h -> h.holdId().equals(hold.holdId())));
    assertFalse(audit.byOperation(AuditRetention.HOLD_LIFT).isEmpty());
    PurgeResult second = retention.purge(LATER, "CDI");
    assertTrue(second.ran());
    assertTrue(audit.byRequestId(heldRecord.getRequestId()).isEmpty());
    assertIntact();
  }

  @Test
  void aTenantHoldKeepsEverythingOfTheTenant() throws Exception {
    String requestId = chat("tenant-wide hold", null);
    LegalHold hold = retention.holdTenant("default", "regulator inquiry", "legal@example.com");
    try {
      // other tenants' records (such as IdentityIT's calls as tenant acme) are not held and may go
      long held = defaultTenantRecords();
      PurgeResult purge = retention.purge(LATER, "CDI");
      assertTrue(purge.ran());
      // the purge's own record is the tenant's one more
      assertEquals(held + 1, defaultTenantRecords(), "a record of the held tenant was purged");
      assertEquals(1, audit.byRequestId(requestId).size());
    } finally {
      retention.lift(hold.holdId(), "inquiry over", "legal@example.com");
    }
    assertIntact();
  }

  @Test
  void aBrokenChainIsNotPurged() throws Exception {
    AuditRecord r = only(chat("evidence", null));
    chat("a later one", null);
    sqlUpdate(
        "update audit_record set latency_ms = latency_ms + 1 where record_id = ?1",
        r.getRecordId());
    try {
      PurgeResult purge = retention.purge(LATER, "CDI");
      assertFalse(purge.ran());
      assertEquals(r.getSequence(), purge.refusedBecause().orElseThrow().sequence());
      assertEquals(1, audit.byRequestId(r.getRequestId()).size(), "nothing was deleted");
    } finally {
      sqlUpdate(
          "update audit_record set latency_ms = latency_ms - 1 where record_id = ?1",
          r.getRecordId());
    }
    assertIntact();
  }

  @Test
  void thePurgeTakesTheReadIndexOfPurgedRecordsAndOldVerifications() throws Exception {
    AuditRecord read = only(chat("read me, then forget me", null));
    AuditRecord reading =
        writer.recordRead(Caller.of("auditor-it"), read.getRecordId(), "case review");
    String recent = verifications.create("auditor-it", 0).id();
    assertEquals(1, readIndexRows(read.getRecordId(), reading.getRecordId()));

    // as of "now": nothing has expired, nothing goes
    assertTrue(retention.purge(Instant.now(), "CDI").ran());
    assertEquals(1, readIndexRows(read.getRecordId(), reading.getRecordId()));
    assertEquals(1, verificationRows(recent));

    PurgeResult purge = retention.purge(LATER, "CDI");

    assertTrue(purge.ran());
    assertTrue(audit.byRequestId(read.getRequestId()).isEmpty());
    assertEquals(0, readIndexRows(read.getRecordId(), reading.getRecordId()));
    // started more than warden.audit.verification.keep (90 days) before the purge's instant
    assertEquals(0, verificationRows(recent));
    assertIntact();
  }

  private long readIndexRows(String recordId, String readRecordId) throws Exception {
    return sqlLong(
        "select count(*) from audit_read where record_id = '"
            + recordId
            + "' or read_record_id = '"
            + readRecordId
            + "'");
  }

  private long verificationRows(String id) throws Exception {
    return sqlLong("select count(*) from audit_verification where verification_id = '" + id + "'");
  }

  private int sqlUpdate(String statement, Object... params) throws Exception {
    return inTx(
        () -> {
          jakarta.persistence.Query q = jpa.entityManager().createNativeQuery(statement);
          for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
          }
          return q.executeUpdate();
        });
  }
}
