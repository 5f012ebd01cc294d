package dev.warden.cost;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One priced call in the usage ledger ({@code cost_usage}, schema {@code V10__cost.sql}): who
 * (principal, tenant, API key), what (model, prompt id and version, operation), when (UTC day), the
 * tokens and the cost in USD. Never updated after insert.
 */
@Entity
@Table(name = "cost_usage")
public class UsageEntry implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  @Id
  @Column(name = "id")
  String id;

  @Column(name = "request_id")
  String requestId;

  @Column(name = "usage_day")
  LocalDate day;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "occurred_at")
  Instant occurredAt;

  @Column(name = "principal")
  String principal;

  @Column(name = "tenant")
  String tenant;

  @Column(name = "api_key_id")
  String apiKeyId;

  @Column(name = "model")
  String model;

  @Column(name = "prompt_id")
  String promptId;

  @Column(name = "prompt_version")
  String promptVersion;

  @Column(name = "operation")
  String operation;

  @Column(name = "outcome")
  String outcome;

  @Column(name = "batched")
  boolean batch;

  @Column(name = "input_tokens")
  long inputTokens;

  @Column(name = "cached_tokens")
  long cachedTokens;

  @Column(name = "output_tokens")
  long outputTokens;

  @Column(name = "reasoning_tokens")
  long reasoningTokens;

  @Column(name = "cost", precision = 24, scale = 12)
  BigDecimal cost;

  public String requestId() {
    return requestId;
  }

  public LocalDate day() {
    return day;
  }

  public String principal() {
    return principal;
  }

  public String tenant() {
    return tenant;
  }

  public String model() {
    return model;
  }

  public long inputTokens() {
    return inputTokens;
  }

  public long cachedTokens() {
    return cachedTokens;
  }

  public long outputTokens() {
    return outputTokens;
  }

  public String operation() {
    return operation;
  }

  /** Whether the call went through the Batch API (priced at the batch price). */
  public boolean batch() {
    return batch;
  }

  public BigDecimal cost() {
    return cost;
  }
}
