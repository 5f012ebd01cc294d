package dev.warden.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A file or batch created through {@code /v1}: its creator, purpose and vault reference, and for a
 * batch input file the summary admission uses ({@code warden_object_record}); never content.
 */
@Entity
@Table(name = "warden_object_record")
public class ObjectRecordEntity {

  @Id
  @Column(name = "object_key")
  String key;

  @Column(name = "kind", nullable = false)
  String kind;

  @Column(name = "object_id", nullable = false)
  String objectId;

  @Column(name = "principal", nullable = false)
  String principal;

  @Column(name = "tenant", nullable = false)
  String tenant;

  @Column(name = "purpose")
  String purpose;

  @Column(name = "vault_file_id")
  String vaultFileId;

  @Column(name = "endpoint")
  String endpoint;

  @Column(name = "model")
  String model;

  @Column(name = "line_count")
  Integer lineCount;

  @Column(name = "input_tokens")
  Long inputTokens;

  @Column(name = "output_tokens")
  Long outputTokens;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  protected ObjectRecordEntity() {}

  ObjectRecord view() {
    return new ObjectRecord(
        kind,
        objectId,
        principal,
        tenant,
        purpose,
        vaultFileId,
        endpoint,
        model,
        lineCount == null ? 0 : lineCount,
        inputTokens == null ? 0 : inputTokens,
        outputTokens == null ? 0 : outputTokens,
        createdAt);
  }
}
