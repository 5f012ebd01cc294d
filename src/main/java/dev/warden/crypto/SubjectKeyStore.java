package dev.warden.crypto;

import java.util.Optional;

/**
 * Where wrapped subject data keys live: in Warden, a database table {@code (subject_id primary key,
 * wrapped_key bytes, created_at)}. The bytes are already encrypted by the master keyset with the
 * subject id as associated data, so the table alone reveals nothing. Implementations must be
 * thread-safe, and {@link #insertIfAbsent} must be atomic across servers (e.g. {@code INSERT ... ON
 * CONFLICT (subject_id) DO NOTHING} followed by a read, in its own transaction).
 */
public interface SubjectKeyStore {

  /** The wrapped key of {@code subjectId}, or empty if it has none (never created, or erased). */
  Optional<byte[]> find(String subjectId);

  /**
   * Stores {@code wrappedKey} unless the subject already has a key, and returns the key that is
   * stored afterwards (the existing one if another writer won).
   */
  byte[] insertIfAbsent(String subjectId, byte[] wrappedKey);

  /**
   * Replaces the subject's wrapped key with {@code wrappedKey} if it is still {@code expected}
   * (after master key rotation). Returns whether it replaced it.
   */
  boolean replace(String subjectId, byte[] expected, byte[] wrappedKey);

  /** Deletes the subject's wrapped key (erasure). Returns whether there was one. */
  boolean delete(String subjectId);
}
