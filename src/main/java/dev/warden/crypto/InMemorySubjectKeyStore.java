package dev.warden.crypto;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link SubjectKeyStore} in a map: for tests and as the reference of the contract. */
public final class InMemorySubjectKeyStore implements SubjectKeyStore {
  private final ConcurrentMap<String, byte[]> keys = new ConcurrentHashMap<>();

  @Override
  public Optional<byte[]> find(String subjectId) {
    return Optional.ofNullable(keys.get(subjectId)).map(byte[]::clone);
  }

  @Override
  public byte[] insertIfAbsent(String subjectId, byte[] wrappedKey) {
    byte[] existing = keys.putIfAbsent(subjectId, wrappedKey.clone());
    return (existing == null ? wrappedKey : existing).clone();
  }

  @Override
  public boolean replace(String subjectId, byte[] expected, byte[] wrappedKey) {
    boolean[] replaced = {false};
    keys.computeIfPresent(
        subjectId,
        (k, current) -> {
          if (Arrays.equals(current, expected)) {
            replaced[0] = true;
            return wrappedKey.clone();
          }
          return current;
        });
    return replaced[0];
  }

  @Override
  public boolean delete(String subjectId) {
    return keys.remove(subjectId) != null;
  }

  /** How many subjects have a key. */
  public int size() {
    return keys.size();
  }
}
