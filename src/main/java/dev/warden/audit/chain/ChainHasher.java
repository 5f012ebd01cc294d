package dev.warden.audit.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The chain hash. The audit log is partitioned into chains, numbered from {@value #FIRST_CHAIN},
 * each with its own head and its own sequence numbers. In the first chain (which holds every record
 * written before the log was partitioned) {@code hash_n = SHA-256(1 || sequence_n || prev_hash ||
 * canonical(record_n))}; in every other chain {@code hash_n = SHA-256(2 || chain || sequence_n ||
 * prev_hash || canonical(record_n))}, with the chain number as 4 bytes big-endian. The version byte
 * comes first, the sequence is 8 bytes big-endian, and {@code prev_hash} is the previous record's
 * hash in the same chain (32 zero bytes before its first record, see {@link ChainHead#GENESIS}).
 * Hashing the sequence number and the chain makes renumbering rows, or moving one into another
 * chain, detectable. Stateless.
 */
public final class ChainHasher {
  /** Version byte of the hash input in the first chain. */
  public static final int VERSION = 1;

  /** Version byte of the hash input in the other chains, which adds the chain number. */
  public static final int CHAIN_VERSION = 2;

  /** The number of the first chain. */
  public static final int FIRST_CHAIN = 1;

  /** Length of a hash in bytes. */
  public static final int HASH_LENGTH = 32;

  private ChainHasher() {}

  /**
   * The hash of a record of the first chain.
   *
   * @throws NullPointerException if {@code previousHash} or {@code content} is null
   */
  public static byte[] hash(long sequence, byte[] previousHash, CanonicalRecord content) {
    return hash(FIRST_CHAIN, sequence, previousHash, content);
  }

  /**
   * The hash of a record of chain {@code chain}.
   *
   * @throws NullPointerException if {@code previousHash} or {@code content} is null
   * @throws IllegalArgumentException if {@code chain} is below {@value #FIRST_CHAIN}
   */
  public static byte[] hash(
      int chain, long sequence, byte[] previousHash, CanonicalRecord content) {
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(content, "content");
    checkChain(chain);
    MessageDigest digest = sha256();
    if (chain == FIRST_CHAIN) {
      digest.update((byte) VERSION);
    } else {
      digest.update((byte) CHAIN_VERSION);
      for (int shift = 24; shift >= 0; shift -= 8) {
        digest.update((byte) (chain >>> shift));
      }
    }
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
    return next(FIRST_CHAIN, head, recordId, content);
  }

  /** {@link #next(ChainHead, String, CanonicalRecord)} in chain {@code chain}. */
  public static ChainRecord next(
      int chain, ChainHead head, String recordId, CanonicalRecord content) {
    long sequence = Math.addExact(head.sequence(), 1);
    byte[] previous = head.hash();
    return new ChainRecord(
        sequence, recordId, previous, hash(chain, sequence, previous, content), content);
  }

  /**
   * The words that name chain {@code chain} before a sequence number in a message: {@code "chain N,
   * "}, and nothing for the first chain, so that messages about a log of one chain read as before.
   */
  public static String named(int chain) {
    return chain == FIRST_CHAIN ? "" : "chain " + chain + ", ";
  }

  /**
   * Checks a chain number.
   *
   * @throws IllegalArgumentException if it is below {@value #FIRST_CHAIN}
   */
  public static int checkChain(int chain) {
    if (chain < FIRST_CHAIN) {
      throw new IllegalArgumentException("chains are numbered from " + FIRST_CHAIN + ": " + chain);
    }
    return chain;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
