package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.Answer;
import dev.warden.audit.chain.BreakReason;
import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.AuditCheckpoints;
import dev.warden.audit.log.AuditErasure;
import dev.warden.audit.log.AuditExport;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.audit.log.AuditRewrap;
import dev.warden.audit.log.AuditVerifier;
import dev.warden.audit.log.AuditView;
import dev.warden.audit.log.ExportVerifier;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.crypto.SubjectPseudonyms;
import dev.warden.openai.error.AuthenticationException;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.stream.StreamResult;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The audit log in the container, on the build's database: one encrypted, chained record per call;
 * no plaintext in the encrypted columns; tampering with plain SQL is named by {@code verify()}
 * (each case restores the rows, as the chain is shared by every test and earlier runs); erasure.
 */
class AuditIT extends WardenIntegrationTest {

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject AuditReader audit;
  @Inject AuditVerifier verifier;
  @Inject AuditCheckpoints checkpoints;
  @Inject AuditErasure erasure;
  @Inject SubjectPseudonyms pseudonyms;
  @Inject AuditExport export;
  @Inject AuditRewrap rewrap;
  @Inject JpaProbe jpa;
  @Inject UserTransaction tx;

  private static final String TABLE = "audit_record";

  private AuditRecord onlyRecordOf(String requestId) {
    List<AuditRecord> records = audit.byRequestId(requestId);
    assertEquals(1, records.size(), "records of " + requestId);
    return records.get(0);
  }

  private CallFinished lastCall() {
    List<CallFinished> calls = callLog.calls();
    assertFalse(calls.isEmpty());
    return calls.get(calls.size() - 1);
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

  private int sql(String statement, Object... params) throws Exception {
    return inTx(
        () -> {
          jakarta.persistence.Query q = jpa.entityManager().createNativeQuery(statement);
          for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
          }
          return q.executeUpdate();
        });
  }

  private void assertIntact() {
    VerificationResult result = verifier.verify();
    assertTrue(result.intact(), result.toString());
  }

  private ChainBreak assertBroken() {
    VerificationResult result = verifier.verify();
    assertFalse(result.intact(), "tampering went unnoticed");
    return result.firstBreak().orElseThrow();
  }

  @Test
  void everyCallHasExactlyOneRecordWithWhatHappened() {
    assertIntact();

    String plain = chat("What is the capital of France?", null);
    CallFinished plainCall = lastCall();
    AuditRecord r = onlyRecordOf(plain);
    assertEquals("SUCCEEDED", r.getOutcome());
    assertEquals("chat.completions", r.getOperation());
    assertEquals("CDI", r.getEntryPoint());
    assertFalse(r.isStreamed());
    assertEquals("gpt-4o-mini", r.getRequestedModel());
    assertEquals(plainCall.answeredBy(), r.getAnsweredBy());
    assertEquals(plainCall.modelSnapshot(), r.getModelSnapshot());
    assertEquals("NONE", r.getFallback());
    assertEquals(1, r.getAttempts());
    assertEquals(plainCall.upstreamRequestId(), r.getUpstreamRequestId());
    assertTrue(r.getTokensInput() > 0 && r.getTokensOutput() > 0);
    assertEquals(plainCall.usage().input(), r.getTokensInput());
    assertEquals(plainCall.usage().output(), r.getTokensOutput());
    assertEquals("anonymous", r.getPrincipal());
    assertEquals("default", r.getTenant());
    assertNull(r.getDataSubject());
    assertEquals("tenant:default", r.getKeySubject());
    // the cost of the call, as CallFinished reported it, to the audit column's 6 decimals
    assertEquals(
        0, plainCall.cost().setScale(6, java.math.RoundingMode.HALF_EVEN).compareTo(r.getCost()));
    assertNull(r.getErrorEnc());

    String subject = "user-" + UUID.randomUUID();
    String identified = chat("Hello there", subject);
    AuditRecord s = onlyRecordOf(identified);
    assertNotNull(s.getDataSubject());
    assertFalse(s.getDataSubject().contains(subject), "the subject is pseudonymised");
    assertEquals(pseudonyms.pseudonym("default", subject), s.getDataSubject());
    assertNotEquals(
        SubjectPseudonyms.legacyPseudonym("default", subject),
        s.getDataSubject(),
        "keyed: the unkeyed hash of the id does not find it");
    assertEquals("subject:" + s.getDataSubject(), s.getKeySubject());

    StreamResult streamed =
        openAi.streamChat(
            ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .messages(List.of(ChatMessage.user("Stream me something")))
                .build(),
            text -> {});
    CallFinished streamCall = lastCall();
    AuditRecord st = onlyRecordOf(streamCall.requestId());
    assertTrue(st.isStreamed());
    assertEquals("SUCCEEDED", st.getOutcome());
    assertEquals(streamed.usage().output(), st.getTokensOutput());
    assertNotNull(st.getTimeToFirstEventMs());

    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key"));
    assertThrows(AuthenticationException.class, () -> openAi.chat(ask("gpt-4o", "Hi")));
    CallFinished failedCall = lastCall();
    AuditRecord f = onlyRecordOf(failedCall.requestId());
    assertEquals("FAILED", f.getOutcome());
    assertEquals("AuthenticationException", f.getErrorType());
    assertEquals(1, f.getAttempts());
    assertNotNull(f.getErrorEnc());
    AuditView fv = audit.read(f.getRecordId()).orElseThrow();
    assertEquals(AuditView.State.PRESENT, fv.error().state());

    assertEquals(4, callLog.calls().size());
    assertIntact();
  }

  @Test
  void encryptedColumnsHoldNoPlaintextAndTheStoredRequestIsTheRedactedOne() throws Exception {
    String marker = "zebra-" + UUID.randomUUID();
    String email = "planted." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    String subject = "subject-" + UUID.randomUUID();
    String requestId = chat("Write to " + email + " about " + marker, subject);
    AuditRecord r = onlyRecordOf(requestId);

    Object[] row =
        inTx(
            () ->
                (Object[])
                    jpa.entityManager()
                        .createNativeQuery(
                            "select request_enc, answer_enc, data_subject, key_subject from "
                                + TABLE
                                + " where record_id = ?1")
                        .setParameter(1, r.getRecordId())
                        .getSingleResult());
    for (int i = 0; i < 2; i++) {
      String bytes = new String((byte[]) row[i], StandardCharsets.ISO_8859_1);
      assertFalse(bytes.contains(marker), "prompt text in column " + i);
      assertFalse(bytes.contains(email), "e-mail in column " + i);
      assertFalse(bytes.contains("zebra"), "prompt text in column " + i);
    }
    assertFalse(String.valueOf(row[2]).contains(subject));
    assertFalse(String.valueOf(row[3]).contains(subject));

    AuditView view = audit.read(r.getRecordId()).orElseThrow();
    assertEquals(AuditView.State.PRESENT, view.request().state());
    assertTrue(view.request().value().contains(marker), "the request decrypts");
    assertTrue(view.request().value().contains("<EMAIL_1>"), "placeholders were stored");
    assertFalse(view.request().value().contains(email), "the stored request is the redacted one");
    assertEquals(AuditView.State.PRESENT, view.answer().state());
    assertFalse(view.answer().value().contains(email));
    assertEquals(AuditView.State.ABSENT, view.error().state());
  }

  @Test
  void modifyingAColumnIsNamed() throws Exception {
    AuditRecord r = onlyRecordOf(chat("tamper: modify", null));
    chat("tamper: modify, a later record", null);
    assertIntact();

    sql(
        "update " + TABLE + " set tokens_output = tokens_output + 1 where record_id = ?1",
        r.getRecordId());
    try {
      ChainBreak b = assertBroken();
      assertEquals(BreakReason.CONTENT_MODIFIED, b.reason());
      assertEquals(r.getSequence(), b.sequence());
      assertEquals(r.getRecordId(), b.recordId().orElseThrow());
    } finally {
      sql(
          "update " + TABLE + " set tokens_output = tokens_output - 1 where record_id = ?1",
          r.getRecordId());
    }
    assertIntact();
  }

  @Test
  void deletingARecordIsNamed() throws Exception {
    AuditRecord r = onlyRecordOf(chat("tamper: delete", null));
    chat("tamper: delete, a later record", null);
    assertIntact();

    AuditRecord copy =
        inTx(
            () -> {
              EntityManager em = jpa.entityManager();
              AuditRecord loaded = em.find(AuditRecord.class, r.getRecordId());
              em.detach(loaded);
              return loaded;
            });
    sql("delete from " + TABLE + " where record_id = ?1", r.getRecordId());
    try {
      ChainBreak b = assertBroken();
      assertEquals(BreakReason.RECORD_MISSING, b.reason());
      assertEquals(r.getSequence(), b.sequence());
    } finally {
      inTx(
          () -> {
            jpa.entityManager().persist(copy);
            return null;
          });
    }
    assertIntact();
  }

  @Test
  void swappingSequenceNumbersIsNamed() throws Exception {
    AuditRecord a = onlyRecordOf(chat("tamper: swap one", null));
    AuditRecord b = onlyRecordOf(chat("tamper: swap two", null));
    assertEquals(a.getSequence() + 1, b.getSequence());
    chat("tamper: swap, a later record", null);
    assertIntact();

    place(a, b.getSequence(), b, a.getSequence());
    try {
      ChainBreak found = assertBroken();
      assertEquals(BreakReason.RECORDS_REORDERED, found.reason());
      assertEquals(a.getSequence(), found.sequence());
      assertEquals(b.getRecordId(), found.recordId().orElseThrow(), "b now sits at a's place");
    } finally {
      place(b, b.getSequence(), a, a.getSequence());
    }
    assertIntact();
  }

  /**
   * Gives {@code first} the sequence number {@code firstSeq} and {@code second} {@code secondSeq}.
   */
  private void place(AuditRecord first, long firstSeq, AuditRecord second, long secondSeq)
      throws Exception {
    inTx(
        () -> {
          EntityManager em = jpa.entityManager();
          String set = "update " + TABLE + " set seq = ?1 where record_id = ?2";
          em.createNativeQuery(set)
              .setParameter(1, -1L)
              .setParameter(2, first.getRecordId())
              .executeUpdate();
          em.createNativeQuery(set)
              .setParameter(1, secondSeq)
              .setParameter(2, second.getRecordId())
              .executeUpdate();
          em.createNativeQuery(set)
              .setParameter(1, firstSeq)
              .setParameter(2, first.getRecordId())
              .executeUpdate();
          return null;
        });
  }

  @Test
  void deletingTheNewestRecordsIsNamedWithoutACheckpoint() throws Exception {
    AuditRecord before = onlyRecordOf(chat("tail: stays", null));
    AuditRecord last = onlyRecordOf(chat("tail: deleted", null));
    assertEquals(before.getChain(), last.getChain());
    assertEquals(before.getSequence() + 1, last.getSequence());
    assertIntact();
    Object[] head =
        inTx(
            () ->
                (Object[])
                    jpa.entityManager()
                        .createNativeQuery(
                            "select seq, hash, mac from audit_chain_head where id = ?1")
                        .setParameter(1, last.getChain())
                        .getSingleResult());
    AuditRecord copy =
        inTx(
            () -> {
              EntityManager em = jpa.entityManager();
              AuditRecord loaded = em.find(AuditRecord.class, last.getRecordId());
              em.detach(loaded);
              return loaded;
            });
    sql("delete from " + TABLE + " where record_id = ?1", last.getRecordId());
    try {
      ChainBreak b = assertBroken();
      assertEquals(BreakReason.RECORD_MISSING, b.reason(), b.toString());
      assertEquals(last.getSequence(), b.sequence());

      // the attacker also moves the head back: its MAC no longer fits
      sql(
          "update audit_chain_head set seq = ?1, hash = ?2 where id = ?3",
          before.getSequence(),
          before.getHash(),
          before.getChain());
      b = assertBroken();
      assertEquals(BreakReason.HEAD_MISMATCH, b.reason(), b.toString());
      assertEquals(before.getSequence(), b.sequence());
    } finally {
      sql(
          "update audit_chain_head set seq = ?1, hash = ?2, mac = ?3 where id = ?4",
          head[0],
          head[1],
          head[2],
          last.getChain());
      inTx(
          () -> {
            jpa.entityManager().persist(copy);
            return null;
          });
    }
    assertIntact();
  }

  @Test
  void anExportVerifiesOfflineAndAnEditedOneNamesItsLine() throws Exception {
    java.time.Instant from = java.time.Instant.now().minusSeconds(1);
    AuditRecord first = onlyRecordOf(chat("export: one", "exported-" + UUID.randomUUID()));
    chat("export: two", null);
    chat("export: three", null);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("warden-export");
    try {
      AuditExport.Summary summary =
          export.export(from, java.time.Instant.now().plusSeconds(1), dir);
      assertTrue(summary.count() >= 3, summary.toString());
      assertTrue(summary.firstSequence() <= first.getSequence());
      assertFalse(
          java.nio.file.Files.readString(dir.resolve("records.jsonl")).contains("export: one"),
          "ciphertexts only");
      // the command an auditor runs, with the public key only
      String publicKey =
          java.nio.file.Path.of(
                  System.getProperty("warden.audit.dev-keyset-dir"), "signing.public.json")
              .toString();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int code =
          dev.warden.audit.log.ExportVerifier.run(
              new String[] {dir.toString(), publicKey},
              new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
              System.err);
      assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("OK: " + summary.count()));
      assertFalse(audit.byOperation(AuditExport.EXPORT).isEmpty(), "the export is recorded");

      java.nio.file.Path records = dir.resolve("records.jsonl");
      List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(records));
      int index = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(first.getRecordId())) {
          index = i;
        }
      }
      assertTrue(index >= 0, "the record is in the export");
      String edited = lines.get(index).replace("\"streamed\":false", "\"streamed\":true");
      assertNotEquals(lines.get(index), edited);
      lines.set(index, edited);
      java.nio.file.Files.write(records, lines);
      ExportVerifier.Report report =
          ExportVerifier.verify(
              dir,
              dev.warden.audit.chain.CheckpointSigner.verifying(
                  dev.warden.crypto.Keysets.readFile(java.nio.file.Path.of(publicKey))));
      assertFalse(report.ok());
      assertEquals(index + 1, report.line(), report.toString());
      assertEquals(BreakReason.CONTENT_MODIFIED.name(), report.message().split(" ")[2]);
    } finally {
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path f : files.toList()) {
          java.nio.file.Files.delete(f);
        }
      }
      java.nio.file.Files.delete(dir);
    }
  }

  @Test
  void theRewrapJobWalksEveryStoredSubjectKey() throws Exception {
    chat("rewrap: one", "rewrap-" + UUID.randomUUID());
    chat("rewrap: two", "rewrap-" + UUID.randomUUID());
    long keys =
        inTx(
            () ->
                ((Number)
                        jpa.entityManager()
                            .createNativeQuery("select count(*) from audit_subject_key")
                            .getSingleResult())
                    .longValue());
    AuditRewrap.Result result = rewrap.run();
    assertEquals(keys, result.scanned());
    assertEquals(0, result.rewrapped(), "every key is already under the current primary");
    assertIntact();
  }

  @Test
  void aCallTheAuditLogCannotRecordIsAnswered503WithoutItsAnswer() throws Exception {
    assertIntact();
    long headBefore = headSequence();
    java.net.http.HttpResponse<String> v1;
    java.net.http.HttpResponse<String> api;
    sql("alter table " + TABLE + " rename to audit_record_unavailable");
    try {
      v1 =
          http()
              .postJson(
                  "v1/chat/completions",
                  TestCredentials.DEV_USER_BEARER,
                  "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                      + "\"content\":\"ask while the audit log is down\"}]}");
      api =
          http()
              .post(
                  "api/audit/erasures",
                  TestCredentials.DEV_AUDITOR,
                  jakarta.json.Json.createObjectBuilder()
                      .add("subject", "nobody-" + UUID.randomUUID())
                      .add("reason", "while the audit log is down")
                      .build());
    } finally {
      sql("alter table audit_record_unavailable rename to " + TABLE);
    }

    // OpenAI's error object, which SDKs raise and may retry; the answer does not go out
    assertEquals(503, v1.statusCode(), v1.body());
    assertEquals("audit_unavailable", WardenHttp.json(v1).getJsonObject("error").getString("code"));
    assertFalse(v1.body().contains("ask while the audit log is down"), v1.body());
    assertEquals("1", v1.headers().firstValue("Retry-After").orElseThrow());
    // problem JSON on /api
    assertEquals(503, api.statusCode(), api.body());
    assertTrue(
        api.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem"));
    assertEquals("audit_unavailable", WardenHttp.json(api).getString("code"));
    assertEquals(headBefore, headSequence(), "no record was written");
    assertIntact();
  }

  @Test
  void aFailedAuditWriteAtTheEndOfAStreamReachesTheCallerAndLeavesNoGap() throws Exception {
    assertIntact();
    long headBefore = headSequence();
    StringBuilder text = new StringBuilder();
    sql("alter table " + TABLE + " rename to audit_record_unavailable");
    try {
      assertThrows(
          dev.warden.audit.log.AuditWriteException.class,
          () ->
              openAi.streamChat(
                  ChatCompletionRequest.builder()
                      .model("gpt-4o-mini")
                      .messages(List.of(ChatMessage.user("Stream while the audit log is down")))
                      .build(),
                  text::append),
          "the stream's record could not be written: the caller is told, not left unaware");
    } finally {
      sql("alter table audit_record_unavailable rename to " + TABLE);
    }
    assertFalse(text.isEmpty(), "the events were relayed before the record was due");
    // (the test's CallLog may observe CallFinished after the audit log threw, so it is not asked)
    assertEquals(headBefore, headSequence(), "no record was written");
    assertIntact(); // the failed append rolled back with its head move: no gap, no half record

    // the log is back: the next stream is recorded
    openAi.streamChat(
        ChatCompletionRequest.builder()
            .model("gpt-4o-mini")
            .messages(List.of(ChatMessage.user("Stream again")))
            .build(),
        t -> {});
    assertEquals(1, audit.byRequestId(lastCall().requestId()).size());
    assertEquals(headBefore + 1, headSequence());
    assertIntact();
  }

  private long headSequence() throws Exception {
    return inTx(
        () ->
            ((Number)
                    jpa.entityManager()
                        // every chain's: appends take any free chain
                        .createNativeQuery("select sum(seq) from audit_chain_head")
                        .getSingleResult())
                .longValue());
  }

  @Test
  void aCheckpointIsVerifiedAndRewritingBehindItIsNamed() throws Exception {
    AuditRecord r = onlyRecordOf(chat("checkpointed", null));
    Checkpoint cp =
        checkpoints.checkpoint().stream()
            .filter(c -> c.chain() == r.getChain())
            .findFirst()
            .orElseThrow();
    try {
      assertTrue(cp.sequence() >= r.getSequence());
      VerificationResult result = verifier.verify();
      assertTrue(result.intact(), result.toString());
      assertTrue(result.checkpointsChecked() >= 1);
    } finally {
      // checkpoints are signed with this server's MAC keyset; leave none behind for other runs
      sql("delete from audit_checkpoint where chain = ?1", cp.chain());
    }
  }

  @Test
  void erasingASubjectShredsTheirRecordsButTheChainStillVerifies() throws Exception {
    String subject = "erase-" + UUID.randomUUID();
    AuditRecord r = onlyRecordOf(chat("Remember me", subject));
    AuditRecord other = onlyRecordOf(chat("Someone else", "keep-" + UUID.randomUUID()));
    assertEquals(
        AuditView.State.PRESENT, audit.read(r.getRecordId()).orElseThrow().request().state());

    assertTrue(erasure.erase(subject));

    AuditView erased = audit.read(r.getRecordId()).orElseThrow();
    assertEquals(AuditView.State.ERASED, erased.request().state());
    assertEquals(AuditView.State.ERASED, erased.answer().state());
    assertNull(erased.request().value());
    assertEquals(
        AuditView.State.PRESENT, audit.read(other.getRecordId()).orElseThrow().request().state());
    assertIntact();

    List<AuditRecord> erasures = audit.byOperation(AuditErasure.ERASE);
    assertTrue(
        erasures.stream().anyMatch(e -> r.getDataSubject().equals(e.getDataSubject())),
        "an audit.erase record names the (pseudonymised) subject");
    AuditRecord erasure =
        erasures.stream()
            .filter(e -> r.getDataSubject().equals(e.getDataSubject()))
            .findFirst()
            .orElseThrow();
    assertEquals("SUCCEEDED", erasure.getOutcome());
    assertNotEquals(r.getRecordId(), erasure.getRecordId());

    // the subject comes back: a new key, which still cannot read the erased records
    AuditRecord again = onlyRecordOf(chat("I am back", subject));
    assertEquals(
        AuditView.State.PRESENT, audit.read(again.getRecordId()).orElseThrow().request().state());
    assertEquals(
        AuditView.State.ERASED, audit.read(r.getRecordId()).orElseThrow().request().state());
    assertIntact();
  }

  @Test
  void subjectsArePerTenant() throws Exception {
    String subject = "tenant-subject-" + UUID.randomUUID();
    Caller acme = new Caller("alice", "acme", null);
    AuditRecord inAcme = onlyRecordOf(Caller.runAs(acme, () -> chat("Hello from acme", subject)));
    AuditRecord inDefault = onlyRecordOf(chat("Hello from default", subject));
    assertEquals("acme", inAcme.getTenant());
    assertEquals("alice", inAcme.getPrincipal());
    assertNotEquals(inAcme.getDataSubject(), inDefault.getDataSubject());

    // erasing the subject of the default tenant leaves acme's namesake readable, and vice versa
    assertTrue(erasure.erase(subject));
    assertEquals(
        AuditView.State.PRESENT, audit.read(inAcme.getRecordId()).orElseThrow().request().state());
    assertTrue(erasure.erase("acme", subject));
    assertEquals(
        AuditView.State.ERASED, audit.read(inAcme.getRecordId()).orElseThrow().request().state());
    assertIntact();
  }
}
