package dev.warden.audit.log;

import static dev.warden.audit.log.AuditRecords.ANSWER;
import static dev.warden.audit.log.AuditRecords.ERROR;
import static dev.warden.audit.log.AuditRecords.REQUEST;

import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.call.EntryPoint;
import dev.warden.call.Outcome;
import dev.warden.call.PiiCounts;
import dev.warden.call.Verdict;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The audit log: one encrypted, hash-chained record per call, written before the caller gets its
 * answer, and crypto-shredding erasure. {@link AuditVerifier} verifies the chain, {@link
 * AuditCheckpoints} checkpoints it, {@link AuditReader} reads it.
 *
 * <p><b>Writing</b> ({@link #onCallFinished}, a synchronous observer of {@link CallFinished}):
 * outside any transaction, the request as sent upstream (redacted), the upstream answer
 * (placeholders) and the error message are serialised (JSON-B) and encrypted with the data key of
 * the call's subject (pseudonymised, see below) or, without one, of the tenant pseudo-subject
 * {@code tenant:<tenant>}, with associated data (table, column, record id). Then {@link
 * ChainAppender} appends it in its own transaction under the chain-head row lock; concurrent calls
 * on this server share that transaction ({@link GroupCommit}), each returning once it committed.
 *
 * <p><b>Failure is not silent:</b> if the record cannot be written, {@code WARDEN0320E} is logged
 * (with the cause; never content, which is encrypted before any SQL) and {@link
 * AuditWriteException} is thrown from the observer, so it reaches the caller instead of the answer:
 * an injected {@code OpenAi} caller gets the exception (for a call that failed anyway, it replaces
 * the original failure), {@code /v1} answers 500 {@code server_error} / {@code internal_error}.
 * Streams are the exception: their record is written when the stream has ended, after the events
 * were relayed, so the caller may already hold the whole answer; the exception then surfaces at the
 * end of the stream, where the entry point can still signal it, and the log line remains. Before a
 * stream's first byte, a pending row is committed ({@link AuditOutbox}); the stream's record
 * replaces it in one transaction, and one left by a killed server becomes a FAILED record ({@value
 * #SERVER_INTERRUPTED}) when that server starts again ({@link #recoverInterrupted}).
 *
 * <p><b>Data subject:</b> stored as a keyed pseudonym ({@link SubjectPseudonyms}: HMAC-SHA256 of a
 * domain tag, the tenant and the id, under a key outside the database): the table does not show it,
 * a guessable id cannot be confirmed from the database alone, and {@link #erase} finds the
 * subject's key from the id.
 */
@ApplicationScoped
public class AuditLog {
  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
  private static final Jsonb JSONB = JsonbBuilder.create();

  /** The principal until identity (#8) exists. */
  public static final String PRINCIPAL = "anonymous";

  /** The tenant until identity (#8) exists. */
  public static final String TENANT = "default";

  /** The operation of the records of API keys created by an admin. */
  public static final String KEY_CREATE = "identity.key.create";

  /** The operation of the records of API keys revoked by an admin. */
  public static final String KEY_REVOKE = "identity.key.revoke";

  /** The operation of erasure records. */
  public static final String ERASE = "audit.erase";

  /** The operation of the records of purges. */
  public static final String PURGE = "audit.purge";

  /** The operation of the records of placed legal holds. */
  public static final String HOLD_PLACE = "audit.hold.place";

  /** The operation of the records of lifted legal holds. */
  public static final String HOLD_LIFT = "audit.hold.lift";

  @Inject SubjectKeys keys;
  @Inject Callers callers;
  @Inject SubjectPseudonyms pseudonyms;
  @Inject ChainAppender appender;
  @Inject Clock clock;

  /** Most records appended in one transaction by group commit (1: one transaction per record). */
  public static final String MAX_BATCH = "warden.audit.group-commit.max-batch";

  private volatile GroupCommit groupCommit;

  private GroupCommit groupCommit() {
    GroupCommit g = groupCommit;
    if (g == null) {
      synchronized (this) {
        g = groupCommit;
        if (g == null) {
          g =
              new GroupCommit(
                  appender::appendAll,
                  dev.warden.config.ConfigProducer.settings().integer(MAX_BATCH, 64, 1));
          groupCommit = g;
        }
      }
    }
    return g;
  }

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
      groupCommit().append(new GroupCommit.Entry(record, AuditRecords.canonical(record)));
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
    AuditRecord r =
        base(call.requestId(), call.operation(), call.caller().tenant(), call.subject());
    r.entryPoint = call.entryPoint() == null ? "UNKNOWN" : call.entryPoint().name();
    r.principal = call.caller().principal();
    r.tenant = call.caller().tenant();
    r.cost = call.cost() == null ? null : call.cost().setScale(6, RoundingMode.HALF_EVEN);
    r.streamed = call.streamed();
    r.startedAt = micros(call.startedAt());
    r.requestedModel = call.requestedModel();
    r.answeredBy = call.answeredBy();
    r.routeReason = clip(call.routeReason(), 1000);
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
    r.piiFound = PiiCounts.format(call.piiFound());
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

  /** The error class of the record of a stream cut by the end of its server (stream outbox). */
  public static final String SERVER_INTERRUPTED = "ServerInterrupted";

  /**
   * Turns the pending rows that {@code owner} left from streams started before {@code before} into
   * FAILED records (error {@value #SERVER_INTERRUPTED}), appended to the chain like any record. A
   * row whose record someone else wrote meanwhile is skipped ({@link
   * ChainAppender#appendRecovered}); a row that cannot be recovered is logged and stays for the
   * next start.
   *
   * @return how many records were appended
   */
  public int recoverInterrupted(String owner, Instant before) {
    int recovered = 0;
    for (PendingStreamEntity pending : appender.pendingOwnedBefore(owner, before)) {
      try {
        AuditRecord r = interrupted(pending);
        if (appender.appendRecovered(
                new GroupCommit.Entry(r, AuditRecords.canonical(r)), pending.requestId)
            != null) {
          recovered++;
        }
      } catch (RuntimeException e) {
        LOG.log(
            Level.SEVERE,
            "WARDEN0322E: the interrupted stream "
                + pending.requestId
                + " could not be recorded; it is tried again at the next start",
            e);
      }
    }
    return recovered;
  }

  /**
   * The record of a stream whose server ended before the stream did: the pending row's metadata,
   * outcome FAILED, error {@value #SERVER_INTERRUPTED}; usage, latency and answer unknown (zero,
   * none).
   */
  AuditRecord interrupted(PendingStreamEntity pending) {
    AuditRecord r = base(pending.requestId, pending.operation, pending.tenant, null);
    r.entryPoint = pending.entryPoint;
    r.principal = pending.principal;
    r.streamed = pending.streamed;
    r.startedAt = micros(pending.startedAt);
    r.requestedModel = pending.requestedModel;
    r.outcome = Outcome.FAILED.name();
    r.errorType = SERVER_INTERRUPTED;
    r.errorEnc =
        encrypt(
            r,
            ERROR,
            "the server stopped before the stream ended; the answer, usage and latency are"
                + " unknown");
    return r;
  }

  /** A record of {@code tenant}: its subject pseudonym and data key are the tenant's. */
  private AuditRecord base(String requestId, String operation, String tenant, String subject) {
    AuditRecord r = new AuditRecord();
    r.recordId = UUID.randomUUID().toString();
    r.createdAt = micros(clock.instant());
    r.requestId = requestId;
    r.operation = operation;
    r.principal = PRINCIPAL;
    r.tenant = tenant;
    r.dataSubject = subject == null ? null : pseudonym(tenant, subject);
    r.keySubject =
        r.dataSubject == null
            ? AuditRecords.tenantKeyId(tenant)
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

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private static Instant micros(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Erases a data subject of the tenant {@code default} (crypto-shredding): destroys the subject's
   * data key, so their records still verify but their encrypted fields read as {@link
   * AuditView.State#ERASED}; then records the erasure itself (operation {@value #ERASE}, the
   * subject pseudonymised, no content).
   *
   * @return whether the subject had a key
   * @throws AuditWriteException if the erasure record cannot be written (the key is gone already)
   */
  public boolean erase(String subject) {
    return erase(TENANT, subject);
  }

  /**
   * Erases the data subject {@code subject} of {@code tenant} (pseudonyms and data keys are per
   * tenant); see {@link #erase(String)}.
   */
  public boolean erase(String tenant, String subject) {
    String pseudonym = pseudonym(tenant, subject);
    boolean existed = keys.erase(AuditRecords.subjectKeyId(pseudonym));
    // records written before keyed pseudonyms carry the unkeyed one
    existed |=
        keys.erase(AuditRecords.subjectKeyId(SubjectPseudonyms.legacyPseudonym(tenant, subject)));
    AuditRecord r = appendOperation(ERASE, "CDI", tenant, pseudonym, null);
    LOG.log(Level.INFO, "WARDEN0332I: audit subject erased (erasure record {0})", r.recordId);
    return existed;
  }

  /** The pseudonym stored for {@code subject} of {@code tenant}. */
  public String pseudonym(String tenant, String subject) {
    return pseudonyms.pseudonym(tenant, subject);
  }

  /**
   * Appends the record of an operation on the audit log itself (erasure, legal hold, purge): no
   * upstream call, outcome {@code SUCCEEDED}, the details (JSON-B, may be null) encrypted in the
   * request column under the tenant's key, never the subject's (so erasing the subject keeps them).
   * The acting principal is the current caller ({@link Callers#current()}: {@code anonymous} for
   * scheduled jobs).
   *
   * @throws AuditWriteException if it cannot be written
   */
  AuditRecord appendOperation(
      String operation, String entryPoint, String tenant, String pseudonym, Object details) {
    return appendOperation(
        operation, entryPoint, callers.current().principal(), tenant, pseudonym, details);
  }

  /**
   * Records that {@code actor} read audit content ({@code operation} such as {@value
   * AuditReader#READ} or {@link AuditExport#EXPORT}) or performed an administrative action ({@value
   * #KEY_CREATE}, {@value #KEY_REVOKE}): their principal and tenant, entry point {@code API}, and
   * {@code details} (what was read or done, never content or secrets) encrypted under the actor's
   * tenant key. Written before the content is handed out.
   *
   * @throws AuditWriteException if it cannot be written (the content must then not be handed out)
   */
  public AuditRecord recordAccess(String operation, Caller actor, Object details) {
    return appendOperation(
        operation, EntryPoint.API.name(), actor.principal(), actor.tenant(), null, details);
  }

  AuditRecord appendOperation(
      String operation,
      String entryPoint,
      String principal,
      String tenant,
      String pseudonym,
      Object details) {
    String requestId = UUID.randomUUID().toString();
    AuditRecord r = new AuditRecord();
    r.recordId = UUID.randomUUID().toString();
    r.createdAt = micros(clock.instant());
    r.requestId = requestId;
    r.operation = operation;
    r.principal = principal;
    r.tenant = tenant;
    r.dataSubject = pseudonym;
    r.keySubject = AuditRecords.tenantKeyId(tenant);
    r.entryPoint = entryPoint;
    r.startedAt = r.createdAt;
    r.attempts = 0;
    r.outcome = Outcome.SUCCEEDED.name();
    r.requestEnc = encrypt(r, REQUEST, json(details));
    append(r, requestId);
    return r;
  }
}
