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
 * can be checked by anyone holding the public key. Immutable; the byte arrays are copied.
 */
public final class Checkpoint {
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
    this.sequence = sequence;
    this.hash = Objects.requireNonNull(hash, "hash").clone();
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.seal = Objects.requireNonNull(seal, "seal").clone();
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
   * sequence, the hash and the creation time in microseconds (sub-microsecond digits are dropped,
   * so a value read back from the database verifies).
   */
  static byte[] sealInput(SealKind kind, long sequence, byte[] hash, Instant createdAt) {
    return CanonicalRecord.builder()
        .string("type", "warden.audit.checkpoint")
        .number("version", kind.version())
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
        + ", "
        + kind
        + "]";
  }
}
