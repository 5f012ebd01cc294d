package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code audit_subject_key}: a subject's data key, wrapped by the master keyset. */
@Entity(name = "SubjectKey")
@Table(name = "audit_subject_key")
@NamedQuery(name = "SubjectKey.delete", query = "delete from SubjectKey k where k.subjectId = :id")
@NamedQuery(
    name = "SubjectKey.replace",
    query =
        "update SubjectKey k set k.wrappedKey = :key where k.subjectId = :id"
            + " and k.wrappedKey = :expected")
public class SubjectKeyEntity {
  @Id
  @Column(name = "subject_id")
  String subjectId;

  @Column(name = "wrapped_key")
  byte[] wrappedKey;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at", insertable = false, updatable = false)
  Instant createdAt;

  /** For JPA. */
  public SubjectKeyEntity() {}
}
