package dev.warden.audit.chain;

import java.util.Objects;

/**
 * One record as stored: its sequence number, id, stored previous hash, stored hash, and hashed
 * content. What {@link ChainVerifier} reads back from the database. Immutable; the byte arrays are
 * copied. Hashes of any length are accepted so a damaged row can still be reported rather than
 * failing to load.
 */
public final class ChainRecord {
  private final long sequence;
  private final String recordId;
  private final byte[] previousHash;
  private final byte[] hash;
  private final CanonicalRecord content;

  /**
   * @throws NullPointerException if a hash or the content is null
   */
  public ChainRecord(
      long sequence, String recordId, byte[] previousHash, byte[] hash, CanonicalRecord content) {
    this.sequence = sequence;
    this.recordId = recordId;
    this.previousHash = previousHash == null ? new byte[0] : previousHash.clone();
    this.hash = hash == null ? new byte[0] : hash.clone();
    this.content = Objects.requireNonNull(content, "content");
  }

  public long sequence() {
    return sequence;
  }

  /** The record's id (may be null if the caller has none). */
  public String recordId() {
    return recordId;
  }

  /** A copy of the stored previous hash. */
  public byte[] previousHash() {
    return previousHash.clone();
  }

  /** A copy of the stored hash. */
  public byte[] hash() {
    return hash.clone();
  }

  public CanonicalRecord content() {
    return content;
  }

  /**
   * The chain head after this record.
   *
   * @throws IllegalArgumentException if the stored hash is not 32 bytes
   */
  public ChainHead head() {
    return new ChainHead(sequence, hash);
  }

  byte[] previousHashRef() {
    return previousHash;
  }

  byte[] hashRef() {
    return hash;
  }

  @Override
  public String toString() {
    return "ChainRecord[" + sequence + ", " + recordId + "]";
  }
}
