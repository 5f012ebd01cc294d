package dev.warden.gateway.identity;

import dev.warden.call.KeyScope;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One API key row: the hash of its secret, never the secret. */
@Entity
@Table(name = "warden_api_key")
public class ApiKeyEntity {

  @Id
  @Column(name = "key_id")
  String id;

  @Column(name = "secret_hash", nullable = false)
  String secretHash;

  @Column(name = "name", nullable = false)
  String name;

  @Column(name = "owner", nullable = false)
  String owner;

  @Column(name = "tenant", nullable = false)
  String tenant;

  /** Comma-separated; empty: any model. */
  @Column(name = "models", nullable = false)
  String models;

  @Column(name = "daily_budget", precision = 18, scale = 6)
  BigDecimal dailyBudget;

  @Column(name = "monthly_budget", precision = 18, scale = 6)
  BigDecimal monthlyBudget;

  @Column(name = "requests_per_minute")
  Long requestsPerMinute;

  @Column(name = "tokens_per_minute")
  Long tokensPerMinute;

  @Column(name = "created_by", nullable = false)
  String createdBy;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "expires_at")
  Instant expiresAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "revoked_at")
  Instant revokedAt;

  @Column(name = "revoked_by")
  String revokedBy;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "last_used_at")
  Instant lastUsedAt;

  protected ApiKeyEntity() {}

  ApiKeyEntity(
      String id,
      String secretHash,
      ApiKeySpec spec,
      String createdBy,
      Instant createdAt,
      Instant expiresAt) {
    this.id = id;
    this.secretHash = secretHash;
    this.name = spec.name();
    this.owner = spec.owner();
    this.tenant = spec.tenant();
    this.models = String.join(",", spec.scope().models());
    this.dailyBudget = spec.scope().dailyBudget();
    this.monthlyBudget = spec.scope().monthlyBudget();
    this.requestsPerMinute = spec.scope().requestsPerMinute();
    this.tokensPerMinute = spec.scope().tokensPerMinute();
    this.createdBy = createdBy;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  /** Revokes the key; a revoked key stays revoked (the first revocation is kept). */
  boolean revoke(String by, Instant now) {
    if (revokedAt != null) {
      return false;
    }
    revokedAt = now;
    revokedBy = by;
    return true;
  }

  ApiKey view() {
    Set<String> scoped = new LinkedHashSet<>();
    Arrays.stream(models.split(","))
        .map(String::trim)
        .filter(m -> !m.isEmpty())
        .forEach(scoped::add);
    return new ApiKey(
        id,
        name,
        owner,
        tenant,
        new KeyScope(scoped, dailyBudget, monthlyBudget, requestsPerMinute, tokensPerMinute),
        createdBy,
        createdAt,
        expiresAt,
        revokedAt,
        revokedBy,
        lastUsedAt);
  }
}
