package dev.warden.gateway.identity;

import dev.warden.call.Caller;
import dev.warden.call.KeyScope;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An authenticated principal: its name, tenant and roles, and, when it authenticated with a Warden
 * API key, that key's id and scope. {@code method} says how it authenticated ({@code basic} for the
 * development registry, {@code jwt}, {@code api-key}).
 */
public record Identity(
    String principal,
    String tenant,
    Set<Role> roles,
    String apiKeyId,
    KeyScope scope,
    String method) {

  public Identity {
    Objects.requireNonNull(principal, "principal");
    tenant = tenant == null || tenant.isBlank() ? "default" : tenant;
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    scope = scope == null ? KeyScope.NONE : scope;
  }

  /** Whether this identity holds {@code role}. */
  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** Whether this identity holds an auditor role (tenant-scoped or all-tenant). */
  public boolean audits() {
    return has(Role.AUDITOR) || has(Role.AUDITOR_ALL_TENANTS);
  }

  /**
   * The tenant whose audit records, exports and usage this auditor may read: its own tenant, or
   * empty for an {@link Role#AUDITOR_ALL_TENANTS} (every tenant).
   */
  public Optional<String> auditedTenant() {
    return has(Role.AUDITOR_ALL_TENANTS) ? Optional.empty() : Optional.of(tenant);
  }

  /** The {@link Caller} that calls made for this identity are recorded, budgeted and limited as. */
  public Caller caller() {
    return new Caller(principal, tenant, apiKeyId, scope);
  }
}
