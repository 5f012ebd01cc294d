package dev.warden.cost;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The reservation of a batch created through {@code /v1}, kept until the batch ends ({@code
 * cost_batch}, schema {@code V45__v1_files_batches.sql}).
 */
@Entity
@Table(name = "cost_batch")
public class BatchCharge {
  @Id
  @Column(name = "batch_id")
  String batchId;

  @Column(name = "request_id")
  String requestId;

  @Column(name = "principal")
  String principal;

  @Column(name = "tenant")
  String tenant;

  @Column(name = "api_key_id")
  String apiKeyId;

  @Column(name = "model")
  String model;

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
  @Column(name = "polled_at")
  Instant polledAt;

  public String batchId() {
    return batchId;
  }

  public String requestId() {
    return requestId;
  }

  public dev.warden.call.Caller caller() {
    return new dev.warden.call.Caller(principal, tenant, apiKeyId);
  }

  Reservation.Held held() {
    return new Reservation.Held(
        model, (int) inputTokens, reserved, Reservation.Held.holdsFromJson(holds), reservedAt);
  }
}
