package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code audit_legal_hold}. Only the lift columns are ever updated. */
@Entity(name = "LegalHold")
@Table(name = "audit_legal_hold")
@NamedQuery(
    name = "LegalHold.active",
    query = "select h from LegalHold h where h.liftedAt is null order by h.placedAt, h.holdId")
@NamedQuery(name = "LegalHold.all", query = "select h from LegalHold h order by h.placedAt")
public class LegalHoldEntity {
  @Id
  @Column(name = "hold_id")
  String holdId;

  @Column(name = "scope")
  String scope;

  @Column(name = "tenant")
  String tenant;

  @Column(name = "data_subject")
  String dataSubject;

  @Column(name = "reason")
  String reason;

  @Column(name = "placed_by")
  String placedBy;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "placed_at")
  Instant placedAt;

  @Column(name = "lifted_by")
  String liftedBy;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "lifted_at")
  Instant liftedAt;

  @Column(name = "lift_reason")
  String liftReason;

  /** For JPA. */
  public LegalHoldEntity() {}

  LegalHold view() {
    return new LegalHold(
        holdId,
        LegalHold.Scope.valueOf(scope),
        tenant,
        dataSubject,
        reason,
        placedBy,
        placedAt,
        liftedBy,
        liftedAt,
        liftReason);
  }
}
