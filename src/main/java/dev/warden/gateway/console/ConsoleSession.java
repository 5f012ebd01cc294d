package dev.warden.gateway.console;

import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.Role;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A valid console session: who signed in ({@code method} {@code dev} or {@code oidc}), until when
 * (the earlier of its idle and absolute expiry) and its CSRF token.
 */
public record ConsoleSession(
    String principal,
    String tenant,
    Set<Role> roles,
    String method,
    Instant expiresAt,
    String csrfToken) {

  /** How a request authenticated by a console session appears to {@code /api}. */
  public static final String IDENTITY_METHOD = "console";

  public ConsoleSession {
    roles = Set.copyOf(roles);
  }

  /**
   * The identity {@code /api} sees: same roles and tenant as the session, method {@code console}.
   */
  public Identity identity() {
    return new Identity(principal, tenant, roles, null, null, IDENTITY_METHOD);
  }

  /** The roles' wire names, sorted. */
  public List<String> roleNames() {
    return roles.stream().map(Role::wireName).sorted().toList();
  }
}
