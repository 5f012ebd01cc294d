package dev.warden.gateway.console;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One console session: whose it is and until when. The cookie's token is not stored. */
@Entity
@Table(name = "console_session")
public class ConsoleSessionEntity {

  /** SHA-256 (hex) of the cookie's token. */
  @Id
  @Column(name = "id")
  String id;

  @Column(name = "principal", nullable = false)
  String principal;

  @Column(name = "tenant", nullable = false)
  String tenant;

  /** The roles' wire names, comma-separated. */
  @Column(name = "roles", nullable = false)
  String roles;

  /** {@code dev} or {@code oidc}. */
  @Column(name = "method", nullable = false)
  String method;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "last_seen_at", nullable = false)
  Instant lastSeenAt;

  @Column(name = "idle_expires_at", nullable = false)
  Instant idleExpiresAt;

  @Column(name = "expires_at", nullable = false)
  Instant expiresAt;

  protected ConsoleSessionEntity() {}

  ConsoleSessionEntity(
      String id,
      String principal,
      String tenant,
      String roles,
      String method,
      Instant now,
      Instant idleExpiresAt,
      Instant expiresAt) {
    this.id = id;
    this.principal = principal;
    this.tenant = tenant;
    this.roles = roles;
    this.method = method;
    this.createdAt = now;
    this.lastSeenAt = now;
    this.idleExpiresAt = idleExpiresAt;
    this.expiresAt = expiresAt;
  }
}
