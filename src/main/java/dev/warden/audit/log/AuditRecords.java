package dev.warden.audit.log;

import dev.warden.audit.chain.CanonicalRecord;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.crypto.AssociatedData;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/** The hashed content of an {@link AuditRecord} and the other pure functions of the audit log. */
final class AuditRecords {
  /** The table of audit records, part of every field's associated data. */
  static final String TABLE = "audit_record";

  /** The encrypted column of the request as sent upstream (or an operation's details). */
  static final String REQUEST = "request_enc";

  /** The encrypted column of the upstream answer. */
  static final String ANSWER = "answer_enc";

  /** The encrypted column of the error message. */
  static final String ERROR = "error_enc";

  /**
   * The canonical form of records written now. Format 1 (before route reasons) hashes the 35
   * columns of {@code V1__audit_log.sql}; format 2 adds {@code record_format} and {@code
   * route_reason} at the end.
   */
  static final int FORMAT = 2;

  private AuditRecords() {}

  /**
   * The canonical content of a record: every column except {@code seq}, {@code prev_hash} and
   * {@code hash}, ciphertexts not plaintexts. Field names and order are part of the hash: never
   * change them, add a new format instead.
   *
   * <p>A record of format 1 with no route reason encodes exactly as before format 2 existed, so
   * chains written then still verify. Any other record (format 2, an unknown format, or a format-1
   * record that has gained a route reason) also hashes {@code record_format} and {@code
   * route_reason}: editing either, or relabelling a record's format, changes its hash.
   *
   * <p>A record with uninspected content ({@code uninspected}, any format) hashes it last; records
   * without any encode as before the column existed, and adding, editing or clearing it changes the
   * hash.
   */
  static CanonicalRecord canonical(AuditRecord r) {
    CanonicalRecord.Builder b = formatOne(r);
    if (r.recordFormat != 1 || r.routeReason != null) {
      b.number("record_format", r.recordFormat).string("route_reason", r.routeReason);
    }
    if (r.uninspected != null) {
      b.string("uninspected", r.uninspected);
    }
    return b.build();
  }

  private static CanonicalRecord.Builder formatOne(AuditRecord r) {
    return CanonicalRecord.builder()
        .string("record_id", r.recordId)
        .instant("created_at", r.createdAt)
        .instant("started_at", r.startedAt)
        .string("request_id", r.requestId)
        .string("entry_point", r.entryPoint)
        .string("operation", r.operation)
        .bool("streamed", r.streamed)
        .string("principal", r.principal)
        .string("tenant", r.tenant)
        .string("data_subject", r.dataSubject)
        .string("key_subject", r.keySubject)
        .string("requested_model", r.requestedModel)
        .string("answered_by", r.answeredBy)
        .string("model_snapshot", r.modelSnapshot)
        .string("fallback", r.fallback)
        .number("attempts", r.attempts)
        .string("upstream_request_id", r.upstreamRequestId)
        .string("prompt_id", r.promptId)
        .string("prompt_version", r.promptVersion)
        .number("latency_ms", r.latencyMs)
        .number("time_to_first_event_ms", r.timeToFirstEventMs)
        .number("tokens_input", r.tokensInput)
        .number("tokens_cached", r.tokensCached)
        .number("tokens_output", r.tokensOutput)
        .number("tokens_reasoning", r.tokensReasoning)
        .string(
            "cost",
            r.cost == null ? null : r.cost.setScale(6, RoundingMode.HALF_EVEN).toPlainString())
        .string("outcome", r.outcome)
        .string("error_type", r.errorType)
        .string("pii_found", r.piiFound)
        .string("guard_score", r.guardScore == null ? null : Double.toString(r.guardScore))
        .string("guard_rules", r.guardRules)
        .string("guard_action", r.guardAction)
        .bytes("request_enc", r.requestEnc)
        .bytes("answer_enc", r.answerEnc)
        .bytes("error_enc", r.errorEnc);
  }

  /** The stored record as the chain verifier reads it. */
  static ChainRecord chainRecord(AuditRecord r) {
    return new ChainRecord(r.sequence, r.recordId, r.prevHash, r.hash, canonical(r));
  }

  /** The associated data of an encrypted column of record {@code recordId}. */
  static byte[] associatedData(String column, String recordId) {
    return AssociatedData.forField(TABLE, column, recordId);
  }

  /** The key subject of a pseudonymised data subject. */
  static String subjectKeyId(String pseudonym) {
    return "subject:" + pseudonym;
  }

  /** The key subject of records without a data subject. */
  static String tenantKeyId(String tenant) {
    return "tenant:" + tenant;
  }

  /**
   * Whose data key encrypts a record of {@code tenant}: its data subject's ({@code pseudonym}), or
   * the tenant's when the record names none ({@code pseudonym} null).
   */
  static String keyId(String tenant, String pseudonym) {
    return pseudonym == null ? tenantKeyId(tenant) : subjectKeyId(pseudonym);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
