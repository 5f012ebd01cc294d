package dev.warden.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SubjectKeysTest {
  static final byte[] AD = AssociatedData.forField("audit_record", "prompt", "r1");

  final KeysetHandle masterHandle = Keysets.generateAead();
  final MasterKeyset master = MasterKeyset.of(masterHandle);
  final InMemorySubjectKeyStore store = new InMemorySubjectKeyStore();
  final SubjectKeys keys =
      new SubjectKeys(master, store, 100, Duration.ofMinutes(5), Clock.systemUTC());

  @Test
  void wrappedKeysUnwrapOnlyForTheirSubjectAndOnlyWithTheMasterKeyset() {
    byte[] wrapped = keys.newWrappedKey("alice");
    FieldCipher alice = keys.unwrap("alice", wrapped);
    byte[] ct = alice.encrypt("secret".getBytes(UTF_8), AD);

    assertThat(new String(keys.unwrap("alice", wrapped).decrypt(ct, AD), UTF_8))
        .isEqualTo("secret");
    assertThatThrownBy(() -> keys.unwrap("bob", wrapped)).isInstanceOf(AuditCryptoException.class);

    SubjectKeys otherMaster =
        new SubjectKeys(
            MasterKeyset.of(Keysets.generateAead()),
            store,
            10,
            Duration.ofMinutes(1),
            Clock.systemUTC());
    assertThatThrownBy(() -> otherMaster.unwrap("alice", wrapped))
        .isInstanceOf(AuditCryptoException.class);
    assertThatThrownBy(() -> keys.unwrap("alice", new byte[] {9, 9, 9}))
        .isInstanceOf(AuditCryptoException.class);
    assertThat(keys.newWrappedKey("alice")).isNotEqualTo(wrapped);
  }

  @Test
  void fieldsAreEncryptedWithTheSubjectsOwnKeyAndBoundToTheirRow() {
    byte[] ct = keys.encrypt("alice", "prompt text".getBytes(UTF_8), AD);

    assertThat(store.find("alice")).isPresent();
    assertThat(new String(keys.decrypt("alice", ct, AD), UTF_8)).isEqualTo("prompt text");
    assertThat(new String(keys.cipher("alice").decrypt(ct, AD), UTF_8)).isEqualTo("prompt text");
    assertThatThrownBy(
            () ->
                keys.decrypt("alice", ct, AssociatedData.forField("audit_record", "prompt", "r2")))
        .isInstanceOf(AuditCryptoException.class)
        .isNotInstanceOf(SubjectErasedException.class);
    assertThatThrownBy(
            () ->
                keys.decrypt("alice", ct, AssociatedData.forField("audit_record", "output", "r1")))
        .isInstanceOf(AuditCryptoException.class)
        .isNotInstanceOf(SubjectErasedException.class);
    // the master keyset alone cannot read it: it is under the data key
    assertThatThrownBy(() -> master.decrypt(ct, AD)).isInstanceOf(AuditCryptoException.class);
    // bob has his own key
    keys.encrypt("bob", new byte[] {1}, AD);
    assertThatThrownBy(() -> keys.decrypt("bob", ct, AD)).isInstanceOf(AuditCryptoException.class);
  }

  @Test
  void erasureDestroysTheKeySoDecryptionFailsWithTheDedicatedException() {
    byte[] ct = keys.encrypt("alice", "pii".getBytes(UTF_8), AD);
    byte[] bobs = keys.encrypt("bob", "other".getBytes(UTF_8), AD);

    assertThat(keys.erase("alice")).isTrue();

    assertThatThrownBy(() -> keys.decrypt("alice", ct, AD))
        .isInstanceOf(SubjectErasedException.class)
        .satisfies(e -> assertThat(((SubjectErasedException) e).subjectId()).isEqualTo("alice"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("alice"));
    assertThat(new String(keys.decrypt("bob", bobs, AD), UTF_8)).isEqualTo("other");

    // alice comes back: a new key for new records, the erased ones stay erased
    byte[] later = keys.encrypt("alice", "new".getBytes(UTF_8), AD);
    assertThat(new String(keys.decrypt("alice", later, AD), UTF_8)).isEqualTo("new");
    assertThatThrownBy(() -> keys.decrypt("alice", ct, AD))
        .isInstanceOf(SubjectErasedException.class);
    assertThat(keys.erase("nobody")).isFalse();
  }

  @Test
  void erasureOnAnotherServerIsSeenOnceTheCacheEntryIsEvictedOrExpired() {
    MutableClock clock = new MutableClock();
    SubjectKeys server1 = new SubjectKeys(master, store, 100, Duration.ofMinutes(5), clock);
    SubjectKeys server2 = new SubjectKeys(master, store, 100, Duration.ofMinutes(5), clock);
    byte[] ct = server1.encrypt("alice", new byte[] {1}, AD);
    assertThat(server2.decrypt("alice", ct, AD)).containsExactly(1);

    server1.erase("alice");
    assertThatThrownBy(() -> server1.decrypt("alice", ct, AD))
        .isInstanceOf(SubjectErasedException.class);
    assertThat(server2.decrypt("alice", ct, AD)).containsExactly(1); // still cached there
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    assertThatThrownBy(() -> server2.decrypt("alice", ct, AD))
        .isInstanceOf(SubjectErasedException.class);
  }

  @Test
  void theCacheIsBoundedAndEvictable() {
    CountingStore counting = new CountingStore();
    SubjectKeys small =
        new SubjectKeys(master, counting, 2, Duration.ofMinutes(5), Clock.systemUTC());
    byte[] a = small.encrypt("a", new byte[] {1}, AD);
    small.encrypt("b", new byte[] {2}, AD);
    small.encrypt("c", new byte[] {3}, AD);
    assertThat(small.cachedKeys()).isEqualTo(2);

    int finds = counting.finds.get();
    small.decrypt("c", small.encrypt("c", new byte[] {3}, AD), AD);
    assertThat(counting.finds.get()).isEqualTo(finds); // cached
    small.decrypt("a", a, AD); // "a" was the eldest and went out
    assertThat(counting.finds.get()).isEqualTo(finds + 1);

    small.evict("a");
    small.decrypt("a", a, AD);
    assertThat(counting.finds.get()).isEqualTo(finds + 2);
  }

  @Test
  void masterRotationRewrapsStoredKeysWithoutTouchingRecordCiphertexts() {
    byte[] ct = keys.encrypt("alice", "kept".getBytes(UTF_8), AD);
    byte[] wrappedBefore = store.find("alice").orElseThrow();

    MasterKeyset rotated = MasterKeyset.of(Keysets.rotate(masterHandle));
    SubjectKeys after =
        new SubjectKeys(rotated, store, 100, Duration.ofMinutes(5), Clock.systemUTC());
    assertThat(after.needsRewrap(wrappedBefore)).isTrue();
    assertThat(new String(after.decrypt("alice", ct, AD), UTF_8)).isEqualTo("kept");

    assertThat(after.rewrapStored("alice")).isTrue();
    byte[] wrappedAfter = store.find("alice").orElseThrow();
    assertThat(after.needsRewrap(wrappedAfter)).isFalse();
    assertThat(after.rewrapStored("alice")).isFalse();
    assertThat(after.rewrapStored("nobody")).isFalse();

    // a server that only has the new keyset... and one that only has the old one
    SubjectKeys fresh =
        new SubjectKeys(rotated, store, 100, Duration.ofMinutes(5), Clock.systemUTC());
    assertThat(new String(fresh.decrypt("alice", ct, AD), UTF_8)).isEqualTo("kept");
    SubjectKeys stale =
        new SubjectKeys(master, store, 100, Duration.ofMinutes(5), Clock.systemUTC());
    assertThatThrownBy(() -> stale.decrypt("alice", ct, AD))
        .isInstanceOf(AuditCryptoException.class);
  }

  @Test
  void afterRotationAndTheRewrapJobTheOldMasterKeyCanBeRemoved() {
    java.util.Map<String, byte[]> records = new java.util.LinkedHashMap<>();
    for (String subject : java.util.List.of("alice", "bob", "carol")) {
      records.put(subject, keys.encrypt(subject, ("about " + subject).getBytes(UTF_8), AD));
    }
    int oldKey = master.primaryKeyId();
    KeysetHandle rotatedHandle = Keysets.rotate(masterHandle);
    SubjectKeys rotated =
        new SubjectKeys(
            MasterKeyset.of(rotatedHandle), store, 100, Duration.ofMinutes(5), Clock.systemUTC());
    // a subject first seen after the rotation already gets the new primary
    records.put("dave", rotated.encrypt("dave", "about dave".getBytes(UTF_8), AD));

    assertThat(rotated.rewrapAll(java.util.List.of("alice", "bob", "carol", "dave", "erased")))
        .isEqualTo(3);
    assertThat(rotated.rewrapAll(java.util.List.of("alice", "bob", "carol", "dave"))).isZero();

    // the old key removed from the keyset: every record still decrypts
    KeysetHandle newOnly = Keysets.remove(rotatedHandle, oldKey);
    assertThat(MasterKeyset.of(newOnly).keyIds()).doesNotContain(oldKey).hasSize(1);
    SubjectKeys afterRemoval =
        new SubjectKeys(
            MasterKeyset.of(newOnly), store, 100, Duration.ofMinutes(5), Clock.systemUTC());
    records.forEach(
        (subject, ct) ->
            assertThat(new String(afterRemoval.decrypt(subject, ct, AD), UTF_8))
                .isEqualTo("about " + subject));
    assertThatThrownBy(() -> Keysets.remove(newOnly, MasterKeyset.of(newOnly).primaryKeyId()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("primary");
  }

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static final class CountingStore implements SubjectKeyStore {
    final InMemorySubjectKeyStore delegate = new InMemorySubjectKeyStore();
    final AtomicInteger finds = new AtomicInteger();

    @Override
    public Optional<byte[]> find(String subjectId) {
      finds.incrementAndGet();
      return delegate.find(subjectId);
    }

    @Override
    public byte[] insertIfAbsent(String subjectId, byte[] wrappedKey) {
      return delegate.insertIfAbsent(subjectId, wrappedKey);
    }

    @Override
    public boolean replace(String subjectId, byte[] expected, byte[] wrappedKey) {
      return delegate.replace(subjectId, expected, wrappedKey);
    }

    @Override
    public boolean delete(String subjectId) {
      return delegate.delete(subjectId);
    }
  }
}
