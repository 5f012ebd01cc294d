package dev.warden.audit.chain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A MACed statement "the record with this sequence number has this hash", made at {@code createdAt}
 * by {@link CheckpointSigner}. The MAC key is not in the database, so plain SQL cannot forge or
 * move a checkpoint; rewriting the chain behind one is detected, and a checkpoint anchors the chain
 * after older records are purged. Immutable; the byte arrays are copied.
 */
public final class Checkpoint {
  private final long sequence;
  private final byte[] hash;
  private final Instant createdAt;
  private final byte[] mac;

  /**
   * @throws NullPointerException if an argument is null
   */
  public Checkpoint(long sequence, byte[] hash, Instant createdAt, byte[] mac) {
    this.sequence = sequence;
    this.hash = Objects.requireNonNull(hash, "hash").clone();
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.mac = Objects.requireNonNull(mac, "mac").clone();
  }

  public long sequence() {
    return sequence;
  }

  /** A copy of the hash of the record at {@link #sequence()}. */
  public byte[] hash() {
    return hash.clone();
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** A copy of the MAC (Tink-prefixed with the MAC key id). */
  public byte[] mac() {
    return mac.clone();
  }

  byte[] hashRef() {
    return hash;
  }

  /**
   * The bytes the MAC covers: a {@link CanonicalRecord} of a type tag, the version, the sequence,
   * the hash and the creation time in microseconds (sub-microsecond digits are dropped, so a value
   * read back from the database verifies).
   */
  static byte[] macInput(long sequence, byte[] hash, Instant createdAt) {
    return CanonicalRecord.builder()
        .string("type", "warden.audit.checkpoint")
        .number("version", 1)
        .number("sequence", sequence)
        .bytes("hash", hash)
        .instant("created_at", createdAt.truncatedTo(ChronoUnit.MICROS))
        .build()
        .encoded();
  }

  @Override
  public String toString() {
    return "Checkpoint["
        + sequence
        + ", "
        + HexFormat.of().formatHex(hash)
        + ", "
        + createdAt
        + "]";
  }
}
