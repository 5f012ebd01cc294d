package dev.warden.audit.log;

import dev.warden.ai.CallFinished;
import dev.warden.ai.Outcome;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainVerifier;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.crypto.SubjectErasedException;
import dev.warden.audit.crypto.SubjectKeys;
import dev.warden.guard.Verdict;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The audit log: one encrypted, hash-chained record per call, written before the caller gets its
 * answer; verification, checkpoints, reading and crypto-shredding erasure.
 *
 * <p><b>Writing</b> ({@link #onCallFinished}, a synchronous observer of {@link CallFinished}):
 * outside any transaction, the request as sent upstream (redacted), the upstream answer
 * (placeholders) and the error message are serialised (JSON-B) and encrypted with the data key of
 * the call's subject (pseudonymised, see below) or, without one, of the tenant pseudo-subject
 * {@code tenant:<tenant>}, with associated data (table, column, record id). Then {@link
 * ChainAppender} appends it in its own transaction under the chain-head row lock.
 *
 * <p><b>Failure is not silent:</b> if the record cannot be written, {@code WARDEN0320E} is logged
 * (with the cause; never content, which is encrypted before any SQL) and {@link
 * AuditWriteException} is thrown from the observer, so it reaches the caller instead of the answer:
 * an injected {@code OpenAi} caller gets the exception (for a call that failed anyway, it replaces
 * the original failure), {@code /v1} answers 500 {@code server_error} / {@code internal_error}.
 * Streams are the exception: their record is written when the stream has ended, after the events
 * were relayed, so the caller may already hold the whole answer; the exception then surfaces at the
 * end of the stream, where the entry point can still signal it, and the log line remains.
 *
 * <p><b>Data subject:</b> stored as a pseudonym (unkeyed SHA-256 of a domain tag, the tenant and
 * the id): the table does not show it in clear, and {@link #erase} finds the subject's key from the
 * id. A guessable id can be confirmed by whoever reads the table; the records' content stays
 * encrypted.
 */
@ApplicationScoped
public class AuditLog {
  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
  private static final Jsonb JSONB = JsonbBuilder.create();

  /** The principal until identity (#8) exists. */
  public static final String PRINCIPAL = "anonymous";

  /** The tenant until identity (#8) exists. */
  public static final String TENANT = "default";

  /** The operation of erasure records. */
  public static final String ERASE = "audit.erase";

  static final String REQUEST = "request_enc";
  static final String ANSWER = "answer_enc";
  static final String ERROR = "error_enc";

  @Inject SubjectKeys keys;
  @Inject CheckpointSigner signer;
  @Inject ChainAppender appender;
  @Inject Clock clock;

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  /**
   * Writes the record of a finished call.
   *
   * @throws AuditWriteException if it cannot be written
   */
  void onCallFinished(@Observes CallFinished call) {
    append(fromCall(call), call.requestId());
  }

  private void append(AuditRecord record, String requestId) {
    try {
      appender.append(record, AuditRecords.canonical(record));
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0320E: the audit record of request "
              + requestId
              + " could not be written; the"
              + " call fails",
          e);
      throw new AuditWriteException("the audit record of request " + requestId + " failed", e);
    }
  }

  private AuditRecord fromCall(CallFinished call) {
    AuditRecord r = base(call.requestId(), call.operation(), call.subject());
    r.entryPoint = call.entryPoint() == null ? "UNKNOWN" : call.entryPoint().name();
    r.streamed = call.streamed();
    r.startedAt = micros(call.startedAt());
    r.requestedModel = call.requestedModel();
    r.answeredBy = call.answeredBy();
    r.modelSnapshot = call.modelSnapshot();
    r.fallback = call.fallback() == null ? null : call.fallback().name();
    r.attempts = call.attempts();
    r.upstreamRequestId = call.upstreamRequestId();
    r.latencyMs = call.latency() == null ? 0 : call.latency().toMillis();
    r.timeToFirstEventMs =
        call.timeToFirstEvent() == null ? null : call.timeToFirstEvent().toMillis();
    TokenUsage usage = call.usage() == null ? TokenUsage.NONE : call.usage();
    r.tokensInput = usage.input();
    r.tokensCached = usage.cachedInput();
    r.tokensOutput = usage.output();
    r.tokensReasoning = usage.reasoning();
    r.outcome = call.outcome() == null ? "UNKNOWN" : call.outcome().name();
    r.errorType = call.errorType();
    if (call.prompt() != null) { // the template's hash as semver build metadata
      r.promptId = call.prompt().id();
      r.promptVersion = call.prompt().version() + "+sha256." + call.prompt().sha256();
    }
    r.piiFound =
        call.piiFound().isEmpty()
            ? null
            : new TreeMap<>(call.piiFound())
                .entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
    Verdict verdict = call.guardVerdict();
    if (verdict != null) {
      r.guardScore = verdict.score();
      r.guardRules = verdict.matchedRules().stream().sorted().collect(Collectors.joining(","));
      r.guardAction = verdict.action() == null ? null : verdict.action().name();
    }
    r.requestEnc = encrypt(r, REQUEST, json(call.sentRequest()));
    r.answerEnc = encrypt(r, ANSWER, json(call.upstreamAnswer()));
    r.errorEnc = encrypt(r, ERROR, call.errorMessage());
    return r;
  }

  private AuditRecord base(String requestId, String operation, String subject) {
    AuditRecord r = new AuditRecord();
    r.recordId = UUID.randomUUID().toString();
    r.createdAt = micros(clock.instant());
    r.requestId = requestId;
    r.operation = operation;
    r.principal = PRINCIPAL;
    r.tenant = TENANT;
    r.dataSubject = subject == null ? null : AuditRecords.pseudonym(TENANT, subject);
    r.keySubject =
        r.dataSubject == null
            ? AuditRecords.tenantKeyId(TENANT)
            : AuditRecords.subjectKeyId(r.dataSubject);
    return r;
  }

  private byte[] encrypt(AuditRecord r, String column, String plaintext) {
    if (plaintext == null) {
      return null;
    }
    return keys.encrypt(
        r.keySubject,
        plaintext.getBytes(StandardCharsets.UTF_8),
        AuditRecords.associatedData(column, r.recordId));
  }

  private static String json(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSONB.toJson(value);
    } catch (RuntimeException e) {
      // keep the call and its record; say what could not be stored (the type, never the content)
      LOG.log(
          Level.WARNING,
          "WARDEN0321W: a {0} could not be serialised for the audit record ({1})",
          new Object[] {value.getClass().getSimpleName(), e.getClass().getSimpleName()});
      return jakarta.json.Json.createObjectBuilder()
          .add("warden_unserialisable", value.getClass().getName())
          .build()
          .toString();
    }
  }

  private static Instant micros(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Verifies the whole chain, records in sequence order, against all stored checkpoints.
   *
   * @return intact, or the first broken record and the reason
   */
  @Transactional(TxType.REQUIRES_NEW)
  public VerificationResult verify() {
    List<Checkpoint> checkpoints =
        em.createNamedQuery("Checkpoint.all", CheckpointEntity.class).getResultList().stream()
            .map(c -> new Checkpoint(c.sequence, c.hash, c.createdAt, c.mac))
            .collect(Collectors.toList());
    try (Stream<AuditRecord> records =
        em.createNamedQuery("AuditRecord.inOrder", AuditRecord.class)
            .setHint("org.hibernate.fetchSize", 500)
            .setHint("org.hibernate.readOnly", true)
            .getResultStream()) {
      Iterable<dev.warden.audit.chain.ChainRecord> chain =
          () ->
              records
                  .map(
                      r -> {
                        dev.warden.audit.chain.ChainRecord c = AuditRecords.chainRecord(r);
                        em.detach(r);
                        return c;
                      })
                  .iterator();
      VerificationResult result = new ChainVerifier(signer).verify(chain, checkpoints);
      if (!result.intact()) {
        LOG.log(
            Level.WARNING,
            "WARDEN0330W: the audit chain is broken: {0}",
            result.firstBreak().orElseThrow());
      }
      return result;
    }
  }

  /**
   * Signs and stores a checkpoint of the current chain head (a concurrent identical checkpoint is
   * harmless). Empty when the chain has no record yet.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<Checkpoint> checkpoint() {
    ChainHeadEntity head = em.find(ChainHeadEntity.class, ChainHeadEntity.ID);
    if (head == null || head.sequence == 0) {
      return Optional.empty();
    }
    Checkpoint cp = signer.sign(new ChainHead(head.sequence, head.hash), clock.instant());
    if (em.find(CheckpointEntity.class, cp.sequence()) == null) {
      CheckpointEntity row = new CheckpointEntity();
      row.sequence = cp.sequence();
      row.hash = cp.hash();
      row.createdAt = cp.createdAt();
      row.mac = cp.mac();
      em.persist(row);
    }
    LOG.log(Level.INFO, "WARDEN0331I: audit checkpoint at record {0}", cp.sequence());
    return Optional.of(cp);
  }

  /**
   * Erases a data subject (crypto-shredding): destroys the subject's data key, so their records
   * still verify but their encrypted fields read as {@link AuditView.State#ERASED}; then records
   * the erasure itself (operation {@value #ERASE}, the subject pseudonymised, no content).
   *
   * @return whether the subject had a key
   * @throws AuditWriteException if the erasure record cannot be written (the key is gone already)
   */
  public boolean erase(String subject) {
    String pseudonym = AuditRecords.pseudonym(TENANT, subject);
    boolean existed = keys.erase(AuditRecords.subjectKeyId(pseudonym));
    String requestId = UUID.randomUUID().toString();
    AuditRecord r = base(requestId, ERASE, subject);
    r.keySubject = AuditRecords.tenantKeyId(TENANT);
    r.entryPoint = "CDI";
    r.startedAt = r.createdAt;
    r.attempts = 0;
    r.outcome = Outcome.SUCCEEDED.name();
    append(r, requestId);
    LOG.log(Level.INFO, "WARDEN0332I: audit subject erased (erasure record {0})", r.recordId);
    return existed;
  }

  /**
   * A record with its encrypted fields decrypted (for an authorised reader; authorization comes
   * with #8). Empty if there is no such record.
   *
   * @throws dev.warden.audit.crypto.AuditCryptoException if a field does not authenticate (tampered
   *     ciphertext)
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<AuditView> read(String recordId) {
    AuditRecord r = em.find(AuditRecord.class, recordId);
    if (r == null) {
      return Optional.empty();
    }
    return Optional.of(
        new AuditView(
            r,
            decrypt(r, REQUEST, r.requestEnc),
            decrypt(r, ANSWER, r.answerEnc),
            decrypt(r, ERROR, r.errorEnc)));
  }

  /** The records of a request id, in sequence order. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<AuditRecord> byRequestId(String requestId) {
    return em.createNamedQuery("AuditRecord.byRequestId", AuditRecord.class)
        .setParameter("requestId", requestId)
        .getResultList();
  }

  /** The records of an operation (e.g. {@value #ERASE}), in sequence order. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<AuditRecord> byOperation(String operation) {
    return em.createNamedQuery("AuditRecord.byOperation", AuditRecord.class)
        .setParameter("operation", operation)
        .getResultList();
  }

  private AuditView.Field decrypt(AuditRecord r, String column, byte[] ciphertext) {
    if (ciphertext == null) {
      return AuditView.Field.ABSENT;
    }
    try {
      return AuditView.Field.of(
          new String(
              keys.decrypt(
                  r.keySubject, ciphertext, AuditRecords.associatedData(column, r.recordId)),
              StandardCharsets.UTF_8));
    } catch (SubjectErasedException e) {
      return AuditView.Field.ERASED;
    }
  }
}
