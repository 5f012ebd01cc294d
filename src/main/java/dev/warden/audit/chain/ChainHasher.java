package dev.warden.audit.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The chain hash: {@code hash_n = SHA-256(version || sequence_n || prev_hash ||
 * canonical(record_n))}, with the version byte {@value #VERSION}, the sequence as 8 bytes
 * big-endian, and {@code prev_hash} the previous record's hash (32 zero bytes before the first
 * record, see {@link ChainHead#GENESIS}). Hashing the sequence number too makes renumbering rows
 * detectable. A future version needs a {@code hash_version} column so old records keep verifying.
 * Stateless.
 */
public final class ChainHasher {
  /** Version byte of the hash input. */
  public static final int VERSION = 1;

  /** Length of a hash in bytes. */
  public static final int HASH_LENGTH = 32;

  private ChainHasher() {}

  /**
   * The hash of a record.
   *
   * @throws NullPointerException if {@code previousHash} or {@code content} is null
   */
  public static byte[] hash(long sequence, byte[] previousHash, CanonicalRecord content) {
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(content, "content");
    MessageDigest digest = sha256();
    digest.update((byte) VERSION);
    for (int shift = 56; shift >= 0; shift -= 8) {
      digest.update((byte) (sequence >>> shift));
    }
    digest.update(previousHash);
    content.writeTo(digest);
    return digest.digest();
  }

  /**
   * The record that follows {@code head}: sequence {@code head.sequence() + 1}, previous hash
   * {@code head.hash()}, and its hash. The caller must hold the chain-head lock from reading {@code
   * head} until the record and the new head ({@link ChainRecord#head()}) are committed.
   */
  public static ChainRecord next(ChainHead head, String recordId, CanonicalRecord content) {
    long sequence = Math.addExact(head.sequence(), 1);
    byte[] previous = head.hash();
    return new ChainRecord(
        sequence, recordId, previous, hash(sequence, previous, content), content);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
