package dev.warden.ai;

import dev.warden.call.Caller;
import dev.warden.cost.Reservation;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.stream.TokenUsage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One deferred call as stored ({@code cost_deferred_call}, schema {@code V11__cost_deferred.sql}):
 * who, what model, the reservation held for it, its batch, and once ended its status, tokens and
 * cost. Never its request or answer, which stay in the upstream's files.
 */
@Entity
@Table(name = "cost_deferred_call")
public class DeferredCallEntity {
  @Id
  @Column(name = "deferred_id")
  String id;

  @Column(name = "request_id")
  String requestId;

  @Column(name = "principal")
  String principal;

  @Column(name = "tenant")
  String tenant;

  @Column(name = "api_key_id")
  String apiKeyId;

  @Column(name = "entry_point")
  String entryPoint;

  @Column(name = "model")
  String model;

  /** The Batch API endpoint of its line ({@code /v1/chat/completions}, ...), schema V51. */
  @Column(name = "endpoint")
  String endpoint;

  @Column(name = "prompt_id")
  String promptId;

  @Column(name = "prompt_version")
  String promptVersion;

  @Column(name = "prompt_sha256")
  String promptSha256;

  @Column(name = "pii_found")
  String piiFound;

  @Column(name = "guard_score")
  Double guardScore;

  @Column(name = "guard_rules")
  String guardRules;

  @Column(name = "guard_action")
  String guardAction;

  @Column(name = "input_tokens")
  long inputTokens;

  @Column(name = "reserved", precision = 24, scale = 12)
  BigDecimal reserved;

  @Column(name = "holds")
  String holds;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "reserved_at")
  Instant reservedAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "started_at")
  Instant startedAt;

  @Column(name = "batch_id")
  String batchId;

  @Column(name = "input_file_id")
  String inputFileId;

  @Column(name = "status")
  String status;

  @Column(name = "upstream_status")
  String upstreamStatus;

  @Column(name = "output_file_id")
  String outputFileId;

  @Column(name = "answered_by")
  String answeredBy;

  @Column(name = "error_code")
  String errorCode;

  @Column(name = "tokens_input")
  long tokensInput;

  @Column(name = "tokens_cached")
  long tokensCached;

  @Column(name = "tokens_output")
  long tokensOutput;

  @Column(name = "tokens_reasoning")
  long tokensReasoning;

  @Column(name = "cost", precision = 24, scale = 12)
  BigDecimal cost;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "finished_at")
  Instant finishedAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "updated_at")
  Instant updatedAt;

  /** The reservation held for the call, to settle when it ends. */
  Reservation.Held held() {
    return new Reservation.Held(
        model, (int) inputTokens, reserved, Reservation.Held.holdsFromJson(holds), reservedAt);
  }

  /** The code stored for a failure: the upstream's or the batch's, else the exception's name. */
  static String codeOf(RuntimeException e) {
    String code = null;
    if (e instanceof OpenAiException) {
      code = ((OpenAiException) e).code();
    } else if (e instanceof DeferredCallEndedException) {
      code = ((DeferredCallEndedException) e).code();
    }
    return code != null ? code : e.getClass().getSimpleName();
  }

  /** Times as stored (microseconds, as both databases keep them). */
  static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  Caller caller() {
    return new Caller(principal, tenant, apiKeyId);
  }

  boolean ownedBy(Caller c) {
    return c != null && principal.equals(c.principal()) && tenant.equals(c.tenant());
  }

  DeferredCall view() {
    return new DeferredCall(
        id,
        requestId,
        model,
        DeferredCall.Status.valueOf(status),
        batchId,
        startedAt,
        finishedAt,
        answeredBy,
        errorCode,
        new TokenUsage(tokensInput, tokensCached, tokensOutput, tokensReasoning),
        cost,
        endpoint == null ? DeferredKinds.CHAT : endpoint);
  }
}
