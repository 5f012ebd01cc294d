package dev.warden.gateway.identity;

import dev.warden.call.KeyScope;
import java.time.Instant;
import java.util.Objects;

/**
 * What an admin asks for when creating an API key: a name, the principal and tenant it acts as, its
 * scope, and when it expires ({@code null}: after {@code
 * warden.identity.api-key.default-lifetime}).
 */
public record ApiKeySpec(
    String name, String owner, String tenant, KeyScope scope, Instant expiresAt) {

  public ApiKeySpec {
    Objects.requireNonNull(owner, "owner");
    name = name == null || name.isBlank() ? owner : name.strip();
    tenant = tenant == null || tenant.isBlank() ? "default" : tenant.strip();
    scope = scope == null ? KeyScope.NONE : scope;
  }
}
