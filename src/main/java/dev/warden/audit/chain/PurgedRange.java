package dev.warden.audit.chain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A sealed ({@link SealKind}) statement "records {@code from} to {@code to} were purged; the record
 * before them had {@code hashBefore} and the last of them {@code hashAfter}", made by {@link
 * CheckpointSigner} when retention deletes a run of consecutive records. It is the checkpoint at a
 * purge boundary: {@link ChainVerifier} bridges the gap with it, so the records kept around it
 * (held or not yet expired) still verify, while deleting one more record next to the gap, or
 * anywhere else, is still named. Immutable; the byte arrays are copied.
 */
public final class PurgedRange {
  private final int chain;
  private final long from;
  private final long to;
  private final byte[] hashBefore;
  private final byte[] hashAfter;
  private final Instant createdAt;
  private final SealKind kind;
  private final byte[] seal;

  /**
   * A MACed range ({@link SealKind#MAC}).
   *
   * @throws IllegalArgumentException if {@code from < 1} or {@code to < from}
   * @throws NullPointerException if an argument is null
   */
  public PurgedRange(
      long from, long to, byte[] hashBefore, byte[] hashAfter, Instant createdAt, byte[] mac) {
    this(from, to, hashBefore, hashAfter, createdAt, SealKind.MAC, mac);
  }

  /**
   * @throws IllegalArgumentException if {@code from < 1} or {@code to < from}
   * @throws NullPointerException if an argument is null
   */
  public PurgedRange(
      long from,
      long to,
      byte[] hashBefore,
      byte[] hashAfter,
      Instant createdAt,
      SealKind kind,
      byte[] seal) {
    this(ChainHasher.FIRST_CHAIN, from, to, hashBefore, hashAfter, createdAt, kind, seal);
  }

  /**
   * A range of chain {@code chain}.
   *
   * @throws IllegalArgumentException if {@code from < 1}, {@code to < from} or the chain is not one
   * @throws NullPointerException if an argument is null
   */
  public PurgedRange(
      int chain,
      long from,
      long to,
      byte[] hashBefore,
      byte[] hashAfter,
      Instant createdAt,
      SealKind kind,
      byte[] seal) {
    this.chain = ChainHasher.checkChain(chain);
    if (from < 1 || to < from) {
      throw new IllegalArgumentException("not a range of sequence numbers: " + from + ".." + to);
    }
    this.from = from;
    this.to = to;
    this.hashBefore = Objects.requireNonNull(hashBefore, "hashBefore").clone();
    this.hashAfter = Objects.requireNonNull(hashAfter, "hashAfter").clone();
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.seal = Objects.requireNonNull(seal, "seal").clone();
  }

  /** The chain the range was purged from. */
  public int chain() {
    return chain;
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

  /** How the range is sealed. */
  public SealKind sealKind() {
    return kind;
  }

  /** A copy of the seal: the MAC or the signature, Tink-prefixed with the key id. */
  public byte[] seal() {
    return seal.clone();
  }

  byte[] sealRef() {
    return seal;
  }

  byte[] hashBeforeRef() {
    return hashBefore;
  }

  byte[] hashAfterRef() {
    return hashAfter;
  }

  /**
   * The bytes the seal covers; the type tag keeps it apart from a checkpoint's. The chain is
   * covered for every chain but the first (whose ranges were sealed before the log was
   * partitioned).
   */
  static byte[] sealInput(
      SealKind kind,
      int chain,
      long from,
      long to,
      byte[] hashBefore,
      byte[] hashAfter,
      Instant createdAt) {
    CanonicalRecord.Builder b =
        CanonicalRecord.builder()
            .string("type", "warden.audit.purged-range")
            .number("version", kind.version());
    if (chain != ChainHasher.FIRST_CHAIN) {
      b.number("chain", chain);
    }
    return b.number("from", from)
        .number("to", to)
        .bytes("hash_before", hashBefore)
        .bytes("hash_after", hashAfter)
        .instant("created_at", createdAt.truncatedTo(ChronoUnit.MICROS))
        .build()
        .encoded();
  }

  @Override
  public String toString() {
    return "PurgedRange["
        + (chain == ChainHasher.FIRST_CHAIN ? "" : chain + ", ")
        + from
        + ".."
        + to
        + ", "
        + createdAt
        + "]";
  }
}
