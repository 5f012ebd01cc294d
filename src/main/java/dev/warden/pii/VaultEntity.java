package dev.warden.pii;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One stored, encrypted placeholder vault (see {@link ConversationVaults}). */
@Entity
@Table(name = "pii_vault")
@NamedQuery(
    name = "VaultEntity.deleteExpired",
    query = "delete from VaultEntity v where v.expiresAt < :now")
public class VaultEntity {

  @Id
  @Column(name = "vault_key")
  String key;

  @Column(name = "ciphertext", nullable = false)
  byte[] ciphertext;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @JdbcTypeCode(SqlTypes.TIMESTAMP)
  @Column(name = "expires_at", nullable = false)
  Instant expiresAt;

  protected VaultEntity() {}

  VaultEntity(String key, byte[] ciphertext, Instant createdAt, Instant expiresAt) {
    this.key = key;
    this.ciphertext = ciphertext;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }
}
