package dev.warden.audit.log;

import static dev.warden.audit.log.AuditRecords.ANSWER;
import static dev.warden.audit.log.AuditRecords.ERROR;
import static dev.warden.audit.log.AuditRecords.REQUEST;

import dev.warden.call.CallFinished;
import dev.warden.call.InterruptedCall;
import dev.warden.call.Outcome;
import dev.warden.call.PiiCounts;
import dev.warden.call.Verdict;
import dev.warden.config.Jsonp;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
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
 * Builds audit records ready to append: metadata, and the content serialised (JSON-B) and encrypted
 * before any SQL, with associated data (table, column, record id).
 *
 * <p>A call's content is encrypted with the data key of its subject, stored as a keyed pseudonym
 * ({@link SubjectPseudonyms}: HMAC-SHA256 of a domain tag, the tenant and the id, under a key
 * outside the database), or, without a subject, of the tenant pseudo-subject {@code
 * tenant:<tenant>}. The details of an operation on the log itself are always encrypted under the
 * tenant's key, so erasing a subject keeps them.
 */
@Dependent
class AuditRecordFactory {
  private static final Logger LOG = Logger.getLogger(AuditRecordFactory.class.getName());

  private final SubjectKeys keys;
  private final SubjectPseudonyms pseudonyms;
  private final Clock clock;

  @Inject
  AuditRecordFactory(SubjectKeys keys, SubjectPseudonyms pseudonyms, Clock clock) {
    this.keys = keys;
    this.pseudonyms = pseudonyms;
    this.clock = clock;
  }

  /** The record of a finished call. */
  AuditRecord forCall(CallFinished call) {
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
    r.uninspected = PiiCounts.format(call.uninspected());
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

  /**
   * The record of a stream whose server ended before the stream did: the pending row's metadata,
   * outcome FAILED, error {@value StreamRecovery#SERVER_INTERRUPTED}; usage, latency and answer
   * unknown (zero, none).
   */
  AuditRecord interrupted(PendingStreamEntity pending) {
    return interrupted(pending, null);
  }

  /**
   * The FAILED record of a call its server's end cut off, with what it is charged ({@code null}:
   * nothing known).
   */
  AuditRecord interrupted(PendingStreamEntity pending, InterruptedCall.Charge charge) {
    AuditRecord r = base(pending.requestId, pending.operation, pending.tenant, null);
    if (charge != null) {
      r.tokensInput = charge.inputTokens();
      r.cost = charge.cost().setScale(6, RoundingMode.HALF_EVEN);
    }
    r.entryPoint = pending.entryPoint;
    r.principal = pending.principal;
    r.streamed = pending.streamed;
    r.startedAt = micros(pending.startedAt);
    r.requestedModel = pending.requestedModel;
    r.outcome = Outcome.FAILED.name();
    r.errorType = StreamRecovery.SERVER_INTERRUPTED;
    r.errorEnc =
        encrypt(
            r,
            ERROR,
            "the server stopped before the call ended; the answer, usage and latency are unknown"
                + (charge == null ? "" : "; its counted input is charged"));
    return r;
  }

  /**
   * The record of an operation on the audit log itself or of an access to it: a request id of its
   * own, no upstream call, outcome {@code SUCCEEDED}, {@code details} (JSON-B, may be null)
   * encrypted in the request column under the tenant's key, never the subject's.
   */
  AuditRecord operation(
      String operation,
      String entryPoint,
      String principal,
      String tenant,
      String pseudonym,
      Object details) {
    AuditRecord r = new AuditRecord();
    r.recordId = UUID.randomUUID().toString();
    r.createdAt = micros(clock.instant());
    r.requestId = UUID.randomUUID().toString();
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
    return r;
  }

  /** A record of {@code tenant}: its subject pseudonym and data key are the tenant's. */
  private AuditRecord base(String requestId, String operation, String tenant, String subject) {
    AuditRecord r = new AuditRecord();
    r.recordId = UUID.randomUUID().toString();
    r.createdAt = micros(clock.instant());
    r.requestId = requestId;
    r.operation = operation;
    r.principal = AuditWriter.PRINCIPAL;
    r.tenant = tenant;
    r.dataSubject = subject == null ? null : pseudonyms.pseudonym(tenant, subject);
    r.keySubject = AuditRecords.keyId(tenant, r.dataSubject);
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
      return SharedJsonb.JSONB.toJson(value);
    } catch (RuntimeException e) {
      // keep the call and its record; say what could not be stored (the type, never the content)
      LOG.log(
          Level.WARNING,
          "WARDEN0321W: a {0} could not be serialised for the audit record ({1})",
          new Object[] {value.getClass().getSimpleName(), e.getClass().getSimpleName()});
      return Jsonp.createObjectBuilder()
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
}
