package dev.warden.audit.chain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A MACed statement "records {@code from} to {@code to} were purged; the record before them had
 * {@code hashBefore} and the last of them {@code hashAfter}", made by {@link CheckpointSigner} when
 * retention deletes a run of consecutive records. It is the checkpoint at a purge boundary: {@link
 * ChainVerifier} bridges the gap with it, so the records kept around it (held or not yet expired)
 * still verify, while deleting one more record next to the gap, or anywhere else, is still named.
 * Immutable; the byte arrays are copied.
 */
public final class PurgedRange {
  private final long from;
  private final long to;
  private final byte[] hashBefore;
  private final byte[] hashAfter;
  private final Instant createdAt;
  private final byte[] mac;

  /**
   * @throws IllegalArgumentException if {@code from < 1} or {@code to < from}
   * @throws NullPointerException if an argument is null
   */
  public PurgedRange(
      long from, long to, byte[] hashBefore, byte[] hashAfter, Instant createdAt, byte[] mac) {
    if (from < 1 || to < from) {
      throw new IllegalArgumentException("not a range of sequence numbers: " + from + ".." + to);
    }
    this.from = from;
    this.to = to;
    this.hashBefore = Objects.requireNonNull(hashBefore, "hashBefore").clone();
    this.hashAfter = Objects.requireNonNull(hashAfter, "hashAfter").clone();
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.mac = Objects.requireNonNull(mac, "mac").clone();
  }

  /** The first purged sequence number. */
  public long from() {
    return from;
  }

  /** The last purged sequence number. */
  public long to() {
    return to;
  }

  /** The number of purged records. */
  public long count() {
    return to - from + 1;
  }

  /** A copy of the hash of record {@code from - 1} (genesis zeros when {@code from} is 1). */
  public byte[] hashBefore() {
    return hashBefore.clone();
  }

  /** A copy of the hash of record {@code to}. */
  public byte[] hashAfter() {
    return hashAfter.clone();
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** A copy of the MAC (Tink-prefixed with the MAC key id). */
  public byte[] mac() {
    return mac.clone();
  }

  byte[] hashBeforeRef() {
    return hashBefore;
  }

  byte[] hashAfterRef() {
    return hashAfter;
  }

  /** The bytes the MAC covers; the type tag keeps it apart from a checkpoint's. */
  static byte[] macInput(
      long from, long to, byte[] hashBefore, byte[] hashAfter, Instant createdAt) {
    return CanonicalRecord.builder()
        .string("type", "warden.audit.purged-range")
        .number("version", 1)
        .number("from", from)
        .number("to", to)
        .bytes("hash_before", hashBefore)
        .bytes("hash_after", hashAfter)
        .instant("created_at", createdAt.truncatedTo(ChronoUnit.MICROS))
        .build()
        .encoded();
  }

  @Override
  public String toString() {
    return "PurgedRange[" + from + ".." + to + ", " + createdAt + "]";
  }
}
