package dev.warden.gateway.console;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The console's sessions, in the database ({@code console_session}) so every server behind a load
 * balancer accepts a session another server created. The browser holds a random 256-bit token; the
 * table holds only its SHA-256. A session ends after {@value #IDLE_TIMEOUT} without use or {@value
 * #MAX_LIFETIME} after sign-in, whichever comes first. Its CSRF token is derived from the cookie's
 * token (a hash of it under another label), so it is never stored and cannot be turned back into
 * the cookie.
 */
@ApplicationScoped
public class ConsoleSessions {

  /** How long a session lasts unused (ISO-8601). */
  public static final String IDLE_TIMEOUT = "warden.console.session.idle-timeout";

  /** How long a session lasts at most after sign-in, used or not (ISO-8601). */
  public static final String MAX_LIFETIME = "warden.console.session.max-lifetime";

  private static final SecureRandom RANDOM = new SecureRandom();

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject Clock clock;

  /** A new session and the token its cookie carries. */
  public record Created(String token, ConsoleSession session) {}

  /** The idle timeout. */
  public static Duration idleTimeout(Settings settings) {
    return positive(IDLE_TIMEOUT, settings.duration(IDLE_TIMEOUT, Duration.ofMinutes(30)));
  }

  /** The absolute lifetime. */
  public static Duration maxLifetime(Settings settings) {
    return positive(MAX_LIFETIME, settings.duration(MAX_LIFETIME, Duration.ofHours(8)));
  }

  private static Duration positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive: " + d);
    }
    return d;
  }

  /**
   * Starts a session for {@code identity}, signed in by {@code method} ({@code dev}, {@code oidc}).
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Created create(Identity identity, String method) {
    Settings settings = ConfigProducer.settings();
    Instant now = clock.instant();
    Instant expires = now.plus(maxLifetime(settings));
    Instant idle = min(now.plus(idleTimeout(settings)), expires);
    String token = newToken();
    em.persist(
        new ConsoleSessionEntity(
            hash(token),
            identity.principal(),
            identity.tenant(),
            identity.roles().stream().map(Role::wireName).sorted().collect(Collectors.joining(",")),
            method,
            now,
            idle,
            expires));
    return new Created(
        token,
        new ConsoleSession(
            identity.principal(),
            identity.tenant(),
            identity.roles(),
            method,
            idle,
            csrfToken(token)));
  }

  /**
   * The valid session of {@code token}, its idle expiry moved forward (written at most once a
   * minute, or once a tenth of the idle timeout when that is shorter); an expired one is deleted.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<ConsoleSession> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Optional.empty();
    }
    ConsoleSessionEntity row = em.find(ConsoleSessionEntity.class, hash(token));
    if (row == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(row.expiresAt) || !now.isBefore(row.idleExpiresAt)) {
      em.remove(row);
      return Optional.empty();
    }
    Duration idleTimeout = idleTimeout(ConfigProducer.settings());
    Duration touchEvery = min(Duration.ofMinutes(1), idleTimeout.dividedBy(10));
    if (!now.isBefore(row.lastSeenAt.plus(touchEvery))) {
      row.lastSeenAt = now;
      row.idleExpiresAt = min(now.plus(idleTimeout), row.expiresAt);
    }
    return Optional.of(
        new ConsoleSession(
            row.principal,
            row.tenant,
            roles(row.roles),
            row.method,
            min(row.idleExpiresAt, row.expiresAt),
            csrfToken(token)));
  }

  /** Ends the session of {@code token}; returns whether there was one. */
  @Transactional(TxType.REQUIRES_NEW)
  public boolean delete(String token) {
    if (token == null || token.isEmpty()) {
      return false;
    }
    return em.createQuery("delete from ConsoleSessionEntity s where s.id = :id")
            .setParameter("id", hash(token))
            .executeUpdate()
        == 1;
  }

  /** Deletes the sessions expired at {@code now} (idle or absolute); returns how many. */
  @Transactional(TxType.REQUIRES_NEW)
  public int purgeExpired(Instant now) {
    return em.createQuery(
            "delete from ConsoleSessionEntity s where s.expiresAt <= :now"
                + " or s.idleExpiresAt <= :now")
        .setParameter("now", now)
        .executeUpdate();
  }

  /** The CSRF token of the session whose cookie holds {@code token}. */
  static String csrfToken(String token) {
    return derive("warden-console-csrf", token);
  }

  /**
   * A value derived from a secret for one purpose ({@code label}): base64url SHA-256 of the label,
   * a NUL and the secret.
   */
  static String derive(String label, String secret) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(label + "\0" + secret));
  }

  /** A new random token: 32 bytes, base64url. */
  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** SHA-256 of {@code token}, hex: the session's id. */
  static String hash(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  /** Whether {@code given} is {@code expected}, in constant time. */
  static boolean same(String expected, String given) {
    return given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<Role> roles(String names) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String n : names.split(",")) {
      Role.named(n).ifPresent(roles::add);
    }
    return roles;
  }

  private static <T extends Comparable<T>> T min(T a, T b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
