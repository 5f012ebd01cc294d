package dev.warden.audit.chain;

import java.util.Objects;
import java.util.Optional;

/**
 * The first broken place of a chain: the sequence number, the record id when a stored record is
 * concerned, the reason, and a human-readable detail (sequence numbers and ids only, never
 * content). Immutable.
 */
public final class ChainBreak {
  private final long sequence;
  private final String recordId;
  private final BreakReason reason;
  private final String detail;

  public ChainBreak(long sequence, String recordId, BreakReason reason, String detail) {
    this.sequence = sequence;
    this.recordId = recordId;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = Objects.requireNonNull(detail, "detail");
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
        + sequence
        + (recordId == null ? "" : " (" + recordId + ")")
        + ": "
        + detail;
  }
}
