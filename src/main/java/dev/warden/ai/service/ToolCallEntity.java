package dev.warden.ai.service;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A tool call the tool loop has claimed for a caller: the SHA-256 of tenant, principal and {@code
 * call_id} as its id; no arguments, and the first result only sealed under the tenant's data key.
 */
@Entity
@Table(name = "warden_tool_call")
public class ToolCallEntity {

  @Id
  @Column(name = "id", length = 64)
  String id;

  @Column(name = "tenant", nullable = false)
  String tenant;

  @Column(name = "principal", nullable = false)
  String principal;

  @Column(name = "tool_name", nullable = false)
  String toolName;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  /** Whose data key seals the result. */
  @Column(name = "key_subject")
  String keySubject;

  /** The first result, sealed; null while the first run has not finished. */
  @Column(name = "result_enc")
  byte[] resultEnc;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "completed_at")
  Instant completedAt;

  protected ToolCallEntity() {}

  ToolCallEntity(String id, String tenant, String principal, String toolName, Instant createdAt) {
    this.id = id;
    this.tenant = tenant;
    this.principal = principal;
    this.toolName = toolName;
    this.createdAt = createdAt;
  }
}
