package dev.warden.audit.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The end of the chain: the sequence number and hash of the last appended record ({@link #GENESIS}
 * before the first). The next record gets {@code sequence() + 1} and {@code hash()} as its previous
 * hash. Immutable.
 */
public final class ChainHead {
  /** The head of an empty chain: sequence 0 and 32 zero bytes. */
  public static final ChainHead GENESIS = new ChainHead(0, new byte[ChainHasher.HASH_LENGTH]);

  private final long sequence;
  private final byte[] hash;

  /**
   * @throws IllegalArgumentException if {@code sequence} is negative or {@code hash} is not 32
   *     bytes
   */
  public ChainHead(long sequence, byte[] hash) {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative");
    }
    if (Objects.requireNonNull(hash, "hash").length != ChainHasher.HASH_LENGTH) {
      throw new IllegalArgumentException("hash must be " + ChainHasher.HASH_LENGTH + " bytes");
    }
    this.sequence = sequence;
    this.hash = hash.clone();
  }

  public long sequence() {
    return sequence;
  }

  /** A copy of the hash. */
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChainHead)) {
      return false;
    }
    ChainHead other = (ChainHead) o;
    return sequence == other.sequence && Arrays.equals(hash, other.hash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sequence) * 31 + Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "ChainHead[" + sequence + ", " + HexFormat.of().formatHex(hash) + "]";
  }
}
