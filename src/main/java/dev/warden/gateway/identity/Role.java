package dev.warden.gateway.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * Warden's roles. A principal holds any set of them (from the development registry, a JWT's {@code
 * groups} claim, or {@code ai-user} alone for an API key).
 */
public enum Role {
  /**
   * Calls models ({@code /v1}, injected services); sees only its own usage, conversations, jobs.
   */
  AI_USER("ai-user"),
  /** Reads audit records (decrypted) and everybody's usage; cannot call models or manage keys. */
  AUDITOR("auditor"),
  /** Manages API keys; reads no decrypted audit content unless also an auditor. */
  ADMIN("admin");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  /** The role's name in tokens, registries and documents ({@code ai-user}). */
  public String wireName() {
    return wireName;
  }

  /** The role named {@code name} ({@code ai-user}, {@code auditor}, {@code admin}), if any. */
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
