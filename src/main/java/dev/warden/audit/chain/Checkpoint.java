package dev.warden.audit.chain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A sealed statement "the record with this sequence number has this hash", made at {@code
 * createdAt} by {@link CheckpointSigner}: signed with Ed25519 ({@link SealKind#ED25519}), or, for
 * checkpoints made before Warden had a signing key, MACed ({@link SealKind#MAC}). Neither key is in
 * the database, so plain SQL cannot forge or move a checkpoint; rewriting the chain behind one is
 * detected, and a checkpoint anchors the chain after older records are purged. A signed checkpoint
 * can be checked by anyone holding the public key.
 *
 * <p>A checkpoint names its chain ({@link ChainHasher}) and how many chains the log had when it was
 * made ({@link #chains()}), both under the seal: every checkpoint vouches for the others' chains,
 * so deleting a whole chain (its records, head and checkpoints) is still detected. Checkpoints made
 * before the log was partitioned have neither (chain {@value ChainHasher#FIRST_CHAIN}, {@code
 * chains() == 0}) and keep verifying. Immutable; the byte arrays are copied.
 */
public final class Checkpoint {
  private final int chain;
  private final int chains;
  private final long sequence;
  private final byte[] hash;
  private final Instant createdAt;
  private final SealKind kind;
  private final byte[] seal;

  /**
   * A MACed checkpoint ({@link SealKind#MAC}).
   *
   * @throws NullPointerException if an argument is null
   */
  public Checkpoint(long sequence, byte[] hash, Instant createdAt, byte[] mac) {
    this(sequence, hash, createdAt, SealKind.MAC, mac);
  }

  /**
   * @throws NullPointerException if an argument is null
   */
  public Checkpoint(long sequence, byte[] hash, Instant createdAt, SealKind kind, byte[] seal) {
    this(ChainHasher.FIRST_CHAIN, 0, sequence, hash, createdAt, kind, seal);
  }

  /**
   * A checkpoint of chain {@code chain}, made when the log had {@code chains} chains (0: before it
   * was partitioned, only for the first chain).
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the chain numbers do not fit
   */
  public Checkpoint(
      int chain,
      int chains,
      long sequence,
      byte[] hash,
      Instant createdAt,
      SealKind kind,
      byte[] seal) {
    ChainHasher.checkChain(chain);
    if (chains < 0 || (chains == 0 ? chain != ChainHasher.FIRST_CHAIN : chain > chains)) {
      throw new IllegalArgumentException("chain " + chain + " of " + chains + " chains");
    }
    this.chain = chain;
    this.chains = chains;
    this.sequence = sequence;
    this.hash = Objects.requireNonNull(hash, "hash").clone();
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.seal = Objects.requireNonNull(seal, "seal").clone();
  }

  /** The chain the checkpoint is of. */
  public int chain() {
    return chain;
  }

  /** How many chains the log had when it was made; 0 if made before it was partitioned. */
  public int chains() {
    return chains;
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

  /** How the checkpoint is sealed. */
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

  byte[] hashRef() {
    return hash;
  }

  /**
   * The bytes the seal covers: a {@link CanonicalRecord} of a type tag, the seal's version, the
   * chain and the number of chains (for checkpoints made since the log was partitioned), the
   * sequence, the hash and the creation time in microseconds (sub-microsecond digits are dropped,
   * so a value read back from the database verifies).
   */
  static byte[] sealInput(
      SealKind kind, int chain, int chains, long sequence, byte[] hash, Instant createdAt) {
    CanonicalRecord.Builder b =
        CanonicalRecord.builder()
            .string("type", "warden.audit.checkpoint")
            .number("version", kind.version());
    if (chains > 0) {
      b.number("chain", chain).number("chains", chains);
    }
    return b.number("sequence", sequence)
        .bytes("hash", hash)
        .instant("created_at", createdAt.truncatedTo(ChronoUnit.MICROS))
        .build()
        .encoded();
  }

  @Override
  public String toString() {
    return "Checkpoint["
        + (chains == 0 ? "" : chain + "/" + chains + ", ")
        + sequence
        + ", "
        + HexFormat.of().formatHex(hash)
        + ", "
        + createdAt
        + ", "
        + kind
        + "]";
  }
}
