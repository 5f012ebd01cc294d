package dev.warden.gateway.identity;

import dev.warden.call.KeyScope;
import java.time.Instant;

/**
 * A Warden API key as admins see it: never its secret. {@code hint} is the key's visible prefix
 * ({@code wk_<id>_…}), enough to recognise it in a client's configuration.
 */
public record ApiKey(
    String id,
    String name,
    String owner,
    String tenant,
    KeyScope scope,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    String revokedBy,
    Instant lastUsedAt) {

  /** Whether the key authenticates at {@code now}: not revoked, not expired. */
  public boolean activeAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  /** This key, last used at {@code at}. */
  public ApiKey usedAt(Instant at) {
    return new ApiKey(
        id, name, owner, tenant, scope, createdBy, createdAt, expiresAt, revokedAt, revokedBy, at);
  }

  /** The visible prefix of the key. */
  public String hint() {
    return ApiKeys.PREFIX + id + "_…";
  }
}
