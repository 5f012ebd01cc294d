package dev.warden.gateway.identity;

import dev.warden.config.ConfigProducer;
import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The development user registry: fixed, documented accounts so a new user can try every role out of
 * the box (docs/identity-and-api.md). Off unless {@value #ENABLED} is {@code true} and development
 * mode ({@link DevelopmentMode}) is on; the quick start and the tests turn both on. Outside
 * development mode the gateway does not start with the switch on ({@code
 * dev.warden.gateway.DevelopmentSettings}). Each account's password is its name unless {@code
 * warden.identity.dev-registry.password.<account>} says otherwise: they are public.
 *
 * <ul>
 *   <li>{@code dev-user}, {@code dev-user-2}: role {@code ai-user}, tenant {@code default}
 *   <li>{@code dev-auditor}: role {@code auditor-all-tenants}
 *   <li>{@code dev-admin}: roles {@code admin} and {@code key-delegate} (creates keys for {@code
 *       dev-user})
 * </ul>
 */
@ApplicationScoped
public class DevRegistry {
  /** The switch. */
  public static final String ENABLED = "warden.identity.dev-registry.enabled";

  static final Map<String, Set<Role>> ACCOUNTS =
      Map.of(
          "dev-user", Set.of(Role.AI_USER),
          "dev-user-2", Set.of(Role.AI_USER),
          "dev-auditor", Set.of(Role.AUDITOR_ALL_TENANTS),
          "dev-admin", Set.of(Role.ADMIN, Role.KEY_DELEGATE));

  private final Supplier<Settings> settings;
  private volatile Boolean enabled;

  public DevRegistry() {
    this(ConfigProducer::settings);
  }

  DevRegistry(Supplier<Settings> settings) {
    this.settings = settings;
  }

  /**
   * Whether the registry is on: its switch and development mode (read once; the start-up check
   * warns about it).
   */
  public boolean enabled() {
    Boolean e = enabled;
    if (e == null) {
      Settings s = settings.get();
      e = Boolean.parseBoolean(s.string(ENABLED).orElse("false")) && DevelopmentMode.on(s);
      enabled = e;
    }
    return e;
  }

  /**
   * The identity of {@code user} if {@code password} is its password.
   *
   * @throws AuthenticationFailedException if the registry is off or the pair does not match
   */
  public Identity authenticate(String user, String password) {
    if (!enabled()) {
      throw new AuthenticationFailedException(
          "invalid_credentials",
          "Basic authentication is only for the development registry, which is off; use an API"
              + " key or a JWT");
    }
    Set<Role> roles = user == null ? null : ACCOUNTS.get(user);
    String expected = roles == null ? null : passwordOf(user);
    // compare even for unknown users, so timing does not tell which accounts exist
    boolean match =
        MessageDigest.isEqual(
            (expected == null ? "\0" : expected).getBytes(StandardCharsets.UTF_8),
            (password == null ? "" : password).getBytes(StandardCharsets.UTF_8));
    if (roles == null || !match) {
      throw new AuthenticationFailedException(
          "invalid_credentials", "Incorrect user name or password");
    }
    return new Identity(user, "default", roles, null, null, "basic");
  }

  /** Whether {@code user} is an account of this registry (registry on). */
  public Optional<Set<Role>> rolesOf(String user) {
    return enabled() ? Optional.ofNullable(ACCOUNTS.get(user)) : Optional.empty();
  }

  private String passwordOf(String user) {
    return settings.get().string("warden.identity.dev-registry.password." + user).orElse(user);
  }
}
