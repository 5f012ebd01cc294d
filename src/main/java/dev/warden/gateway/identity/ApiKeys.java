package dev.warden.gateway.identity;

import dev.warden.call.KeyScope;
import dev.warden.cluster.Invalidation;
import dev.warden.cluster.Invalidations;
import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Warden API keys: created by an admin and shown once ({@code wk_<id>_<secret>}, the secret 256
 * random bits), stored as the SHA-256 of the secret, scoped ({@link KeyScope}), expiring and
 * revocable. A key authenticates as its owner and tenant with the single role {@code ai-user}.
 *
 * <p>Authenticated keys are cached per server for {@value #CACHE_TTL} (default 30 s). A revocation
 * applies at once on the server that made it, and on the others as soon as they read its {@link
 * Invalidations invalidation} (every {@value Invalidations#INTERVAL}, default 250 ms).
 */
@ApplicationScoped
public class ApiKeys {
  private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());

  /** The topic of {@link Invalidation}s of this cache; the item is the key id. */
  public static final String TOPIC = "api-key";

  /** Every key starts with this. */
  public static final String PREFIX = "wk_";

  static final String CACHE_TTL = "warden.identity.api-key.cache-ttl";
  static final String DEFAULT_LIFETIME = "warden.identity.api-key.default-lifetime";
  static final String MAX_LIFETIME = "warden.identity.api-key.max-lifetime";

  /**
   * The development key of {@code dev-user} (its secret is public): it exists only while the
   * development registry is on, i.e. in development mode ({@link DevRegistry#enabled()}).
   */
  static final String DEV_KEY_ID = "devuserkey01";

  /** Who revoked the development key when a server started without the development registry. */
  static final String DEV_KEY_RETIRED_BY = "warden: development registry off";

  static final String DEV_KEY_SECRET = "devsecret-devsecret-devsecret-01";

  private static final int ID_LENGTH = 12;
  private static final char[] ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject Clock clock;
  @Inject ApiKeyRows rows;
  @Inject DevRegistry devRegistry;
  @Inject Invalidations invalidations;

  private record Cached(ApiKey key, String secretHash, Instant loadedAt) {}

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  volatile Duration cacheTtl; // package-private: unit tests set it

  /** A key just created: its view and the full key, which is never shown again. */
  public record Created(ApiKey key, String secret) {}

  /**
   * Creates a key.
   *
   * @throws IllegalArgumentException if the spec is not acceptable (the message says why)
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Created create(ApiKeySpec spec, String createdBy) {
    Instant now = clock.instant();
    Settings settings = ConfigProducer.settings();
    Duration max = settings.duration(MAX_LIFETIME, Duration.ofDays(366));
    Instant expires =
        spec.expiresAt() != null
            ? spec.expiresAt()
            : now.plus(settings.duration(DEFAULT_LIFETIME, Duration.ofDays(90)));
    check(spec, expires, now, max);
    String id = newId();
    String secret = newSecret();
    ApiKeyEntity row = new ApiKeyEntity(id, hash(secret), spec, createdBy, now, expires);
    em.persist(row);
    // principals can be e-mail addresses: the key id only
    LOG.log(Level.INFO, "WARDEN0810I: API key {0} created", id);
    return new Created(row.view(), PREFIX + id + "_" + secret);
  }

  /** The keys, newest first, optionally of one owner, revoked ones only when asked. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<ApiKey> list(String owner, boolean includeRevoked, int offset, int limit) {
    StringBuilder jpql = new StringBuilder("select k from ApiKeyEntity k where 1 = 1");
    if (owner != null) {
      jpql.append(" and k.owner = :owner");
    }
    if (!includeRevoked) {
      jpql.append(" and k.revokedAt is null");
    }
    jpql.append(" order by k.createdAt desc, k.id");
    TypedQuery<ApiKeyEntity> q = em.createQuery(jpql.toString(), ApiKeyEntity.class);
    if (owner != null) {
      q.setParameter("owner", owner);
    }
    return q.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
        .map(ApiKeyEntity::view)
        .toList();
  }

  @Transactional(TxType.REQUIRES_NEW)
  public Optional<ApiKey> find(String id) {
    ApiKeyEntity row = id == null ? null : em.find(ApiKeyEntity.class, id);
    return Optional.ofNullable(row).map(ApiKeyEntity::view);
  }

  /** Revokes a key (idempotent: a revoked key keeps its first revocation). */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<ApiKey> revoke(String id, String by) {
    ApiKeyEntity row = id == null ? null : em.find(ApiKeyEntity.class, id);
    if (row == null) {
      return Optional.empty();
    }
    if (row.revoke(by, clock.instant())) {
      LOG.log(Level.INFO, "WARDEN0811I: API key {0} revoked", id);
      invalidations.announce(TOPIC, id);
    }
    cache.remove(id);
    return Optional.of(row.view());
  }

  /** Drops the keys another server changed (or every key) from this server's cache. */
  void onInvalidation(@Observes Invalidation change) {
    change.applyTo(TOPIC, cache::clear, cache::remove);
  }

  /**
   * The identity a presented key stands for.
   *
   * @throws AuthenticationFailedException if it is malformed, unknown, wrong, revoked or expired
   *     (one message for all, so a caller learns nothing about which)
   */
  public Identity authenticate(String token) {
    String id = idOf(token);
    if (DEV_KEY_ID.equals(id) && !devRegistry.enabled()) {
      id = null; // whatever a database still holds: the development key is refused
    }
    String secret = id == null ? null : token.substring(PREFIX.length() + ID_LENGTH + 1);
    Instant now = clock.instant();
    Cached c = id == null ? null : cached(id, now);
    if (c == null
        || !MessageDigest.isEqual(
            c.secretHash.getBytes(StandardCharsets.US_ASCII),
            hash(secret).getBytes(StandardCharsets.US_ASCII))
        || !c.key.activeAt(now)) {
      throw new AuthenticationFailedException(
          "invalid_api_key", "Incorrect, revoked or expired API key provided");
    }
    ApiKey key = c.key;
    if (key.lastUsedAt() == null || key.lastUsedAt().isBefore(now.minusSeconds(60))) {
      rows.markUsed(id, now);
      cache.computeIfPresent(
          id, (k, old) -> new Cached(old.key.usedAt(now), old.secretHash, old.loadedAt));
    }
    return new Identity(
        key.owner(), key.tenant(), Set.of(Role.AI_USER), id, key.scope(), "api-key");
  }

  /**
   * Seeds the development key of {@code dev-user} if it does not exist, or reinstates it if a start
   * without the registry revoked it (registry on only).
   */
  @Transactional(TxType.REQUIRES_NEW)
  public void seedDevelopmentKey() {
    ApiKeyEntity existing = em.find(ApiKeyEntity.class, DEV_KEY_ID);
    if (existing != null) {
      if (DEV_KEY_RETIRED_BY.equals(existing.revokedBy)) {
        existing.revokedAt = null;
        existing.revokedBy = null;
        cache.remove(DEV_KEY_ID);
      }
      return;
    }
    em.persist(
        new ApiKeyEntity(
            DEV_KEY_ID,
            hash(DEV_KEY_SECRET),
            new ApiKeySpec("development key", "dev-user", "default", KeyScope.NONE, null),
            "dev-registry",
            clock.instant(),
            null));
    LOG.log(
        Level.WARNING,
        "WARDEN0812W: the development API key of dev-user exists (its secret is public);"
            + " never use it in production");
  }

  /**
   * Revokes the development key if the database holds it (a start without the development registry:
   * a database that once ran the quick start no longer accepts it).
   */
  @Transactional(TxType.REQUIRES_NEW)
  public void retireDevelopmentKey() {
    ApiKeyEntity row = em.find(ApiKeyEntity.class, DEV_KEY_ID);
    if (row != null && row.revoke(DEV_KEY_RETIRED_BY, clock.instant())) {
      LOG.log(
          Level.WARNING,
          "WARDEN0831W: the development API key {0} was revoked: the development registry is off",
          DEV_KEY_ID);
      invalidations.announce(TOPIC, DEV_KEY_ID);
    }
    cache.remove(DEV_KEY_ID);
  }

  private Cached cached(String id, Instant now) {
    Duration ttl = cacheTtl;
    if (ttl == null) { // read once: a configuration read per request costs more than the lookup
      ttl = ConfigProducer.settings().duration(CACHE_TTL, Duration.ofSeconds(30));
      cacheTtl = ttl;
    }
    Cached c = cache.get(id);
    if (c != null && c.loadedAt.plus(ttl).isAfter(now)) {
      return c;
    }
    Optional<ApiKeyEntity> row = rows.load(id);
    if (row.isEmpty()) {
      cache.remove(id);
      return null;
    }
    c = new Cached(row.get().view(), row.get().secretHash, now);
    cache.put(id, c);
    return c;
  }

  /** The id of a well-formed key, else null. */
  static String idOf(String token) {
    if (token == null
        || !token.startsWith(PREFIX)
        || token.length() < PREFIX.length() + ID_LENGTH + 2
        || token.charAt(PREFIX.length() + ID_LENGTH) != '_') {
      return null;
    }
    return token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
  }

  static String hash(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String newId() {
    char[] id = new char[ID_LENGTH];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
    }
    return new String(id);
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void check(ApiKeySpec spec, Instant expires, Instant now, Duration max) {
    if (spec.owner().isBlank() || spec.owner().length() > 200) {
      throw new IllegalArgumentException("owner: must be a principal name of 1 to 200 characters");
    }
    if (spec.name().length() > 200 || spec.tenant().length() > 200) {
      throw new IllegalArgumentException("name and tenant: at most 200 characters");
    }
    if (!expires.isAfter(now)) {
      throw new IllegalArgumentException("expires_at: must be in the future");
    }
    if (expires.isAfter(now.plus(max))) {
      throw new IllegalArgumentException(
          "expires_at: a key lives at most " + max.toDays() + " days (" + MAX_LIFETIME + ")");
    }
    KeyScope s = spec.scope();
    if (String.join(",", s.models()).length() > 2000
        || s.models().stream().anyMatch(m -> m.isBlank() || m.contains(","))) {
      throw new IllegalArgumentException(
          "models: model names, without commas, 2000 characters in all");
    }
    for (BigDecimal b : new BigDecimal[] {s.dailyBudget(), s.monthlyBudget()}) {
      if (b != null && b.signum() < 0) {
        throw new IllegalArgumentException("budgets: must not be negative");
      }
    }
    for (Long l : new Long[] {s.requestsPerMinute(), s.tokensPerMinute()}) {
      if (l != null && l <= 0) {
        throw new IllegalArgumentException("rate limits: must be positive");
      }
    }
  }
}
