package dev.warden.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.warden.config.Settings;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Per-subject data keys (envelope encryption) and crypto-shredding.
 *
 * <p>Each data subject has its own Tink AES256-GCM data keyset. It is stored only wrapped: {@code
 * 0x01 || master.encrypt(keyset, AssociatedData.forSubjectKey(subject))}, so a wrapped key moved to
 * another subject does not unwrap, and the database alone (without the master keyset) cannot read
 * it. Record fields are encrypted with the subject's key and {@link AssociatedData#forField}.
 *
 * <p><b>Erasure</b> ({@link #erase}) deletes the stored wrapped key and evicts it here. The records
 * stay, and the hash chain still verifies because it covers ciphertexts, but {@link #decrypt} then
 * throws {@link SubjectErasedException}. If the subject is seen again, a new key is created; it
 * cannot read the erased records (their ciphertexts name the destroyed key's id, which again gives
 * {@link SubjectErasedException}). Other servers drop the unwrapped key from their cache when the
 * erasure's invalidation reaches them ({@link #evict}); database backups keep the wrapped key until
 * they expire (they still need the master keyset to unwrap it).
 *
 * <p><b>Master key rotation</b> never touches records (their ciphertexts are in the chain hash):
 * only wrapped keys move forward, with {@link #needsRewrap} and {@link #rewrap} (or {@link
 * #rewrapStored}), which a re-encryption job runs over the key table.
 *
 * <p>Unwrapped keys are cached: at most {@value #CACHE_SIZE} subjects (least recently used go
 * first), each for at most {@value #CACHE_TTL}. Thread-safe.
 */
public final class SubjectKeys {
  /** Maximum subjects whose unwrapped key is cached (default 10000). */
  public static final String CACHE_SIZE = "warden.audit.subject-key-cache-size";

  /** How long an unwrapped key stays cached (default 5 minutes). */
  public static final String CACHE_TTL = "warden.audit.subject-key-cache-ttl";

  static final byte FORMAT_V1 = 0x01;

  private final MasterKeyset master;
  private final SubjectKeyStore store;
  private final int cacheSize;
  private final Duration cacheTtl;
  private final Clock clock;
  private final LinkedHashMap<String, Cached> cache;
  private long evictions;

  /**
   * @throws IllegalArgumentException if {@code cacheSize} is negative or {@code cacheTtl} is
   *     negative
   */
  public SubjectKeys(
      MasterKeyset master, SubjectKeyStore store, int cacheSize, Duration cacheTtl, Clock clock) {
    this.master = Objects.requireNonNull(master, "master");
    this.store = Objects.requireNonNull(store, "store");
    if (cacheSize < 0 || cacheTtl.isNegative()) {
      throw new IllegalArgumentException("cache size and TTL must not be negative");
    }
    this.cacheSize = cacheSize;
    this.cacheTtl = cacheTtl;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > SubjectKeys.this.cacheSize;
          }
        };
  }

  /**
   * With the cache settings {@value #CACHE_SIZE} and {@value #CACHE_TTL}.
   *
   * @throws IllegalArgumentException if a setting is invalid (the message names the key)
   */
  public static SubjectKeys fromSettings(
      Settings settings, MasterKeyset master, SubjectKeyStore store) {
    return new SubjectKeys(
        master,
        store,
        settings.integer(CACHE_SIZE, 10_000, 0),
        settings.duration(CACHE_TTL, Duration.ofMinutes(5)),
        Clock.systemUTC());
  }

  /**
   * A fresh data key for {@code subjectId}, wrapped by the master keyset, for storage. Nothing is
   * stored.
   */
  public byte[] newWrappedKey(String subjectId) {
    Objects.requireNonNull(subjectId, "subjectId");
    KeysetHandle dataKey = Keysets.generateAead();
    byte[] serialized;
    try {
      serialized = TinkProtoKeysetFormat.serializeKeyset(dataKey, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new AuditCryptoException("could not serialise a data key", e);
    }
    try {
      byte[] inner = master.encrypt(serialized, AssociatedData.forSubjectKey(subjectId));
      byte[] wrapped = new byte[inner.length + 1];
      wrapped[0] = FORMAT_V1;
      System.arraycopy(inner, 0, wrapped, 1, inner.length);
      return wrapped;
    } finally {
      Arrays.fill(serialized, (byte) 0);
    }
  }

  /**
   * Unwraps a stored key of {@code subjectId} into a cipher (no caching).
   *
   * @throws AuditCryptoException if the bytes are not a wrapped key of this subject under a key of
   *     the master keyset
   */
  public FieldCipher unwrap(String subjectId, byte[] wrappedKey) {
    return unwrapKey(subjectId, wrappedKey);
  }

  private DataKey unwrapKey(String subjectId, byte[] wrappedKey) {
    byte[] inner = inner(wrappedKey);
    byte[] serialized = master.decrypt(inner, AssociatedData.forSubjectKey(subjectId));
    try {
      KeysetHandle handle =
          TinkProtoKeysetFormat.parseKeyset(serialized, InsecureSecretKeyAccess.get());
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < handle.size(); i++) {
        ids.add(handle.getAt(i).getId());
      }
      return new DataKey(subjectId, Keysets.aead(handle), Set.copyOf(ids));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new AuditCryptoException("the unwrapped data key is not a valid keyset", e);
    } finally {
      Arrays.fill(serialized, (byte) 0);
    }
  }

  /**
   * Whether a wrapped key was made with an older master key (a re-encryption job should rewrap it).
   */
  public boolean needsRewrap(byte[] wrappedKey) {
    return !master.isCurrent(inner(wrappedKey));
  }

  /**
   * The same data key, wrapped with the current master primary key.
   *
   * @throws AuditCryptoException if it does not unwrap for {@code subjectId}
   */
  public byte[] rewrap(String subjectId, byte[] wrappedKey) {
    byte[] inner = master.reencrypt(inner(wrappedKey), AssociatedData.forSubjectKey(subjectId));
    byte[] wrapped = new byte[inner.length + 1];
    wrapped[0] = FORMAT_V1;
    System.arraycopy(inner, 0, wrapped, 1, inner.length);
    return wrapped;
  }

  /**
   * The re-encryption job's step: rewraps, with the current master primary, every stored key of
   * {@code subjectIds} that an older master key wrapped. Returns how many it rewrapped. Afterwards
   * (once every server runs the new primary), the old master key can be removed.
   *
   * @throws AuditCryptoException if a stored key does not unwrap
   */
  public long rewrapAll(Iterable<String> subjectIds) {
    long rewrapped = 0;
    for (String id : subjectIds) {
      if (rewrapStored(id)) {
        rewrapped++;
      }
    }
    return rewrapped;
  }

  /**
   * Rewraps the stored key of {@code subjectId} if it needs it (compare-and-set, so a concurrent
   * erasure wins). Returns whether the store changed.
   */
  public boolean rewrapStored(String subjectId) {
    Optional<byte[]> stored = store.find(subjectId);
    if (stored.isEmpty() || !needsRewrap(stored.get())) {
      return false;
    }
    return store.replace(subjectId, stored.get(), rewrap(subjectId, stored.get()));
  }

  /**
   * Encrypts a field of {@code subjectId}'s record, creating and storing the subject's key on first
   * use.
   *
   * @throws AuditCryptoException if the key cannot be created, stored or unwrapped
   */
  public byte[] encrypt(String subjectId, byte[] plaintext, byte[] associatedData) {
    return keyFor(subjectId, true).orElseThrow().encrypt(plaintext, associatedData);
  }

  /**
   * Decrypts a field of {@code subjectId}'s record.
   *
   * @throws SubjectErasedException if the subject's key was erased
   * @throws AuditCryptoException if the ciphertext does not authenticate (other row or column,
   *     modified bytes)
   */
  public byte[] decrypt(String subjectId, byte[] ciphertext, byte[] associatedData) {
    return keyFor(subjectId, false)
        .orElseThrow(() -> new SubjectErasedException(subjectId))
        .decrypt(ciphertext, associatedData);
  }

  /** A {@link FieldCipher} bound to {@code subjectId} (its key is looked up on each call). */
  public FieldCipher cipher(String subjectId) {
    Objects.requireNonNull(subjectId, "subjectId");
    return new FieldCipher() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        return SubjectKeys.this.encrypt(subjectId, plaintext, associatedData);
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
        return SubjectKeys.this.decrypt(subjectId, ciphertext, associatedData);
      }
    };
  }

  /**
   * Erases the subject: deletes the stored wrapped key and evicts it from this server's cache.
   * Returns whether a key existed.
   */
  public boolean erase(String subjectId) {
    boolean existed = store.delete(subjectId);
    evict(subjectId);
    return existed;
  }

  /** Drops the subject's unwrapped key from this server's cache. */
  public void evict(String subjectId) {
    synchronized (cache) {
      cache.remove(subjectId);
      evictions++;
    }
  }

  /** Drops every unwrapped key from this server's cache. */
  public void evictAll() {
    synchronized (cache) {
      cache.clear();
      evictions++;
    }
  }

  /** How many unwrapped keys are cached. */
  public int cachedKeys() {
    synchronized (cache) {
      return cache.size();
    }
  }

  private Optional<DataKey> keyFor(String subjectId, boolean create) {
    Objects.requireNonNull(subjectId, "subjectId");
    Instant now = clock.instant();
    long evictionsBefore;
    synchronized (cache) {
      Cached cached = cache.get(subjectId);
      if (cached != null && now.isBefore(cached.expires)) {
        return Optional.of(cached.key);
      }
      if (cached != null) {
        cache.remove(subjectId);
      }
      evictionsBefore = evictions;
    }
    // Store and unwrap outside the lock: they may do I/O.
    Optional<byte[]> wrapped = store.find(subjectId);
    if (wrapped.isEmpty()) {
      if (!create) {
        return Optional.empty();
      }
      wrapped = Optional.of(store.insertIfAbsent(subjectId, newWrappedKey(subjectId)));
    }
    DataKey key = unwrapKey(subjectId, wrapped.get());
    synchronized (cache) {
      // An erasure during the load must not leave the old key cached.
      if (evictions == evictionsBefore && cacheSize > 0 && !cacheTtl.isZero()) {
        cache.put(subjectId, new Cached(key, now.plus(cacheTtl)));
      }
    }
    return Optional.of(key);
  }

  private static byte[] inner(byte[] wrappedKey) {
    if (wrappedKey == null || wrappedKey.length < 2 || wrappedKey[0] != FORMAT_V1) {
      throw new AuditCryptoException("not a wrapped subject key (unknown format)");
    }
    return Arrays.copyOfRange(wrappedKey, 1, wrappedKey.length);
  }

  private static final class Cached {
    final DataKey key;
    final Instant expires;

    Cached(DataKey key, Instant expires) {
      this.key = key;
      this.expires = expires;
    }
  }

  /** One subject's unwrapped data key. */
  private static final class DataKey implements FieldCipher {
    private final String subjectId;
    private final Aead aead;
    private final Set<Integer> keyIds;

    DataKey(String subjectId, Aead aead, Set<Integer> keyIds) {
      this.subjectId = subjectId;
      this.aead = aead;
      this.keyIds = keyIds;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
      try {
        return aead.encrypt(plaintext, associatedData);
      } catch (GeneralSecurityException e) {
        throw new AuditCryptoException("encryption with the subject key failed", e);
      }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
      OptionalInt keyId = MasterKeyset.keyIdOf(ciphertext);
      if (keyId.isPresent() && !keyIds.contains(keyId.getAsInt())) {
        // made with a key of this subject that has since been destroyed
        throw new SubjectErasedException(subjectId);
      }
      try {
        return aead.decrypt(ciphertext, associatedData);
      } catch (GeneralSecurityException e) {
        throw new AuditCryptoException(
            "decryption failed: other associated data or modified ciphertext", e);
      }
    }

    @Override
    public String toString() {
      return "DataKey[keys=" + keyIds + "]";
    }
  }
}
