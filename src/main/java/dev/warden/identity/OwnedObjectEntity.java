package dev.warden.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Who created one upstream object through Warden. */
@Entity
@Table(name = "warden_object_owner")
public class OwnedObjectEntity {

  @Id
  @Column(name = "object_key")
  String key;

  @Column(name = "principal", nullable = false)
  String principal;

  @Column(name = "tenant", nullable = false)
  String tenant;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  protected OwnedObjectEntity() {}

  OwnedObjectEntity(String key, String principal, String tenant, Instant createdAt) {
    this.key = key;
    this.principal = principal;
    this.tenant = tenant;
    this.createdAt = createdAt;
  }
}
