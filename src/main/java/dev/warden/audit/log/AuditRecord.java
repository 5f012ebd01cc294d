package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One audit record as stored in {@code audit_record} (schema: {@code dev/warden/db/migration}).
 * Sensitive values are only ciphertexts ({@code *Enc}); the data subject is pseudonymised. Every
 * column but {@code chain}, {@code seq}, {@code prev_hash} and {@code hash} is hashed ({@link
 * AuditRecords#canonical}); the chain and sequence number are part of the hash input ({@link
 * dev.warden.audit.chain.ChainHasher}). Records are never updated after insert.
 */
@Entity
@Table(name = "audit_record")
@NamedQuery(
    name = "AuditRecord.inOrder",
    query = "select r from AuditRecord r order by r.createdAt, r.chain, r.sequence")
@NamedQuery(
    name = "AuditRecord.inOrderUpTo",
    query =
        "select r from AuditRecord r where r.chain = :chain and r.sequence <= :head"
            + " order by r.sequence")
@NamedQuery(
    name = "AuditRecord.byRequestId",
    query =
        "select r from AuditRecord r where r.requestId = :requestId"
            + " order by r.createdAt, r.chain, r.sequence")
@NamedQuery(
    name = "AuditRecord.bySubject",
    query =
        "select r from AuditRecord r where r.dataSubject = :subject"
            + " order by r.createdAt, r.chain, r.sequence")
@NamedQuery(
    name = "AuditRecord.byOperation",
    query =
        "select r from AuditRecord r where r.operation = :operation"
            + " order by r.createdAt, r.chain, r.sequence")
public class AuditRecord implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  @Id
  @Column(name = "record_id")
  String recordId;

  /** The chain the record is in ({@link dev.warden.audit.chain.ChainHasher}). */
  @Column(name = "chain")
  short chain = 1;

  /** The record's sequence number in its chain. */
  @Column(name = "seq")
  long sequence;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at")
  Instant createdAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "started_at")
  Instant startedAt;

  @Column(name = "request_id")
  String requestId;

  @Column(name = "entry_point")
  String entryPoint;

  @Column(name = "operation")
  String operation;

  @Column(name = "streamed")
  boolean streamed;

  @Column(name = "principal")
  String principal;

  @Column(name = "tenant")
  String tenant;

  @Column(name = "data_subject")
  String dataSubject;

  @Column(name = "key_subject")
  String keySubject;

  @Column(name = "requested_model")
  String requestedModel;

  @Column(name = "answered_by")
  String answeredBy;

  @Column(name = "model_snapshot")
  String modelSnapshot;

  @Column(name = "fallback")
  String fallback;

  @Column(name = "attempts")
  int attempts;

  @Column(name = "upstream_request_id")
  String upstreamRequestId;

  @Column(name = "prompt_id")
  String promptId;

  @Column(name = "prompt_version")
  String promptVersion;

  @Column(name = "latency_ms")
  long latencyMs;

  @Column(name = "time_to_first_event_ms")
  Long timeToFirstEventMs;

  @Column(name = "tokens_input")
  long tokensInput;

  @Column(name = "tokens_cached")
  long tokensCached;

  @Column(name = "tokens_output")
  long tokensOutput;

  @Column(name = "tokens_reasoning")
  long tokensReasoning;

  @Column(name = "cost")
  BigDecimal cost;

  @Column(name = "outcome")
  String outcome;

  @Column(name = "error_type")
  String errorType;

  @Column(name = "pii_found")
  String piiFound;

  @Column(name = "guard_score")
  Double guardScore;

  @Column(name = "guard_rules")
  String guardRules;

  @Column(name = "guard_action")
  String guardAction;

  @Column(name = "request_enc")
  byte[] requestEnc;

  @Column(name = "answer_enc")
  byte[] answerEnc;

  @Column(name = "error_enc")
  byte[] errorEnc;

  /**
   * The canonical form the record was hashed in ({@link AuditRecords#canonical}): 1 before route
   * reasons existed, {@link AuditRecords#FORMAT} for records written now.
   */
  @Column(name = "record_format")
  int recordFormat = AuditRecords.FORMAT;

  @Column(name = "route_reason")
  String routeReason;

  @Column(name = "uninspected")
  String uninspected;

  @Column(name = "prev_hash")
  byte[] prevHash;

  @Column(name = "hash")
  byte[] hash;

  /** For JPA. */
  public AuditRecord() {}

  /** The chain the record is in. */
  public int getChain() {
    return chain;
  }

  public String getRecordId() {
    return recordId;
  }

  public long getSequence() {
    return sequence;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getStartedAt() {
    return startedAt;
  }

  public String getRequestId() {
    return requestId;
  }

  public String getEntryPoint() {
    return entryPoint;
  }

  public String getOperation() {
    return operation;
  }

  public boolean isStreamed() {
    return streamed;
  }

  public String getPrincipal() {
    return principal;
  }

  public String getTenant() {
    return tenant;
  }

  public String getDataSubject() {
    return dataSubject;
  }

  public String getKeySubject() {
    return keySubject;
  }

  public String getRequestedModel() {
    return requestedModel;
  }

  public String getAnsweredBy() {
    return answeredBy;
  }

  public String getModelSnapshot() {
    return modelSnapshot;
  }

  public String getFallback() {
    return fallback;
  }

  public int getAttempts() {
    return attempts;
  }

  public String getUpstreamRequestId() {
    return upstreamRequestId;
  }

  public String getPromptId() {
    return promptId;
  }

  public String getPromptVersion() {
    return promptVersion;
  }

  public long getLatencyMs() {
    return latencyMs;
  }

  public Long getTimeToFirstEventMs() {
    return timeToFirstEventMs;
  }

  public long getTokensInput() {
    return tokensInput;
  }

  public long getTokensCached() {
    return tokensCached;
  }

  public long getTokensOutput() {
    return tokensOutput;
  }

  public long getTokensReasoning() {
    return tokensReasoning;
  }

  public BigDecimal getCost() {
    return cost;
  }

  public String getOutcome() {
    return outcome;
  }

  public String getErrorType() {
    return errorType;
  }

  public String getPiiFound() {
    return piiFound;
  }

  public Double getGuardScore() {
    return guardScore;
  }

  public String getGuardRules() {
    return guardRules;
  }

  public String getGuardAction() {
    return guardAction;
  }

  public int getRecordFormat() {
    return recordFormat;
  }

  /**
   * Why {@link #getAnsweredBy()} answered: {@code requested}, {@code routed: ...}, {@code
   * escalated: ...}, {@code fallback: ...} or {@code deferred: ...}; {@code null} for records of
   * format 1 and for operations that choose no model.
   */
  public String getRouteReason() {
    return routeReason;
  }

  /**
   * The parts of the request Warden could not inspect for personal data (images, audio, files),
   * counted by type ({@code image_url=1,input_file=2}): sent uninspected, or, when the call was
   * refused for them ({@code error_type} {@code UninspectableContentRefusal}), the refused ones;
   * {@code null} when none.
   */
  public String getUninspected() {
    return uninspected;
  }

  /** A copy of request_enc. */
  public byte[] getRequestEnc() {
    return requestEnc == null ? null : requestEnc.clone();
  }

  /** A copy of answer_enc. */
  public byte[] getAnswerEnc() {
    return answerEnc == null ? null : answerEnc.clone();
  }

  /** A copy of error_enc. */
  public byte[] getErrorEnc() {
    return errorEnc == null ? null : errorEnc.clone();
  }

  /** A copy of prev_hash. */
  public byte[] getPrevHash() {
    return prevHash == null ? null : prevHash.clone();
  }

  /** A copy of hash. */
  public byte[] getHash() {
    return hash == null ? null : hash.clone();
  }
}
