package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code audit_read} (migration V57): which record a read of decrypted content ({@value
 * AuditReader#READ}) read, so the reads of one record are found by an index instead of decrypting
 * every read's details. Written in the transaction of the read's own audit record (a companion
 * row), never updated. Who read it and why are in that record (the reason encrypted).
 */
@Entity(name = "AuditRead")
@Table(name = "audit_read")
@NamedQuery(
    name = "AuditRead.ofRecord",
    query =
        "select r from AuditRecord r, AuditRead a where a.recordId = :recordId"
            + " and r.recordId = a.readRecordId order by a.createdAt desc, r.sequence desc")
public class AuditReadEntity implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The read's own audit record. */
  @Id
  @Column(name = "read_record_id")
  String readRecordId;

  /** The record whose content was read. */
  @Column(name = "record_id")
  String recordId;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at")
  Instant createdAt;

  /** For JPA. */
  public AuditReadEntity() {}

  AuditReadEntity(String readRecordId, String recordId, Instant createdAt) {
    this.readRecordId = readRecordId;
    this.recordId = recordId;
    this.createdAt = createdAt;
  }
}
