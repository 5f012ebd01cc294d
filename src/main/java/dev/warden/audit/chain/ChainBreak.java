package dev.warden.audit.chain;

import java.util.Objects;
import java.util.Optional;

/**
 * The first broken place of a chain: the chain, the sequence number, the record id when a stored
 * record is concerned, the reason, and a human-readable detail (sequence numbers and ids only,
 * never content). Immutable.
 */
public final class ChainBreak {
  private final int chain;
  private final long sequence;
  private final String recordId;
  private final BreakReason reason;
  private final String detail;

  /** A break in the first chain. */
  public ChainBreak(long sequence, String recordId, BreakReason reason, String detail) {
    this(ChainHasher.FIRST_CHAIN, sequence, recordId, reason, detail);
  }

  public ChainBreak(int chain, long sequence, String recordId, BreakReason reason, String detail) {
    this.chain = ChainHasher.checkChain(chain);
    this.sequence = sequence;
    this.recordId = recordId;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** The chain the break is in. */
  public int chain() {
    return chain;
  }

  /** This break, placed in chain {@code chain}. */
  public ChainBreak inChain(int chain) {
    return chain == this.chain ? this : new ChainBreak(chain, sequence, recordId, reason, detail);
  }

  /** The sequence number of the broken (or first missing) record, or of the checkpoint. */
  public long sequence() {
    return sequence;
  }

  /** The id of the broken record, if it exists (absent for missing records and checkpoints). */
  public Optional<String> recordId() {
    return Optional.ofNullable(recordId);
  }

  public BreakReason reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return reason
        + " at "
        + ChainHasher.named(chain)
        + sequence
        + (recordId == null ? "" : " (" + recordId + ")")
        + ": "
        + detail;
  }
}
