package dev.warden.gateway.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * Warden's roles. A principal holds any set of them: a development-registry account its fixed
 * roles, a JWT the roles its {@code groups} are mapped to by configuration ({@link
 * JwtVerifier#ROLES}; nothing is implicit), an API key {@code ai-user} alone.
 */
public enum Role {
  /**
   * Calls models ({@code /v1}, injected services); sees only its own usage, conversations, jobs.
   */
  AI_USER("ai-user"),
  /**
   * Reads the audit records (decrypted), exports and usage of its own tenant only (the identity's
   * tenant); cannot call models or manage keys.
   */
  AUDITOR("auditor"),
  /** An auditor of every tenant: {@link #AUDITOR}'s reads, across all tenants. */
  AUDITOR_ALL_TENANTS("auditor-all-tenants"),
  /**
   * Manages API keys, creating keys owned by itself only; reads no decrypted audit content unless
   * also an auditor.
   */
  ADMIN("admin"),
  /**
   * With {@link #ADMIN}: creates API keys owned by another principal (who the key then acts as).
   * Alone it grants nothing.
   */
  KEY_DELEGATE("key-delegate");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  /** The role's name in tokens, registries and documents ({@code ai-user}). */
  public String wireName() {
    return wireName;
  }

  /** Whether this is one of the auditor roles (tenant-scoped or all-tenant). */
  public boolean audits() {
    return this == AUDITOR || this == AUDITOR_ALL_TENANTS;
  }

  /** The role named {@code name} ({@code ai-user}, {@code auditor}, …), if any. */
  public static Optional<Role> named(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Role r : values()) {
      if (r.wireName.equals(n)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
