package dev.warden.audit.chain;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ChainVerifier#verify} found: intact or the first break, how many records and
 * checkpoints it checked, the checkpoint it started from (after a purge), and the last verified
 * head. Immutable.
 */
public final class VerificationResult {
  private final ChainBreak firstBreak;
  private final long recordsChecked;
  private final int checkpointsChecked;
  private final int purgedRangesChecked;
  private final Checkpoint anchor;
  private final ChainHead head;

  VerificationResult(
      ChainBreak firstBreak,
      long recordsChecked,
      int checkpointsChecked,
      int purgedRangesChecked,
      Checkpoint anchor,
      ChainHead head) {
    this.firstBreak = firstBreak;
    this.recordsChecked = recordsChecked;
    this.checkpointsChecked = checkpointsChecked;
    this.purgedRangesChecked = purgedRangesChecked;
    this.anchor = anchor;
    this.head = Objects.requireNonNull(head, "head");
  }

  /** This result with {@code chainBreak} as its first break (a check made after the walk). */
  public VerificationResult withBreak(ChainBreak chainBreak) {
    return new VerificationResult(
        Objects.requireNonNull(chainBreak, "chainBreak"),
        recordsChecked,
        checkpointsChecked,
        purgedRangesChecked,
        anchor,
        head);
  }

  /**
   * The result of verifying every chain of a log, {@code perChain} in chain order: the first break
   * of the first broken chain (so the record named is the lowest chain's), the counts summed, and
   * the anchor and head of the first chain.
   *
   * @throws IllegalArgumentException if {@code perChain} is empty
   */
  public static VerificationResult combine(java.util.List<VerificationResult> perChain) {
    if (perChain.isEmpty()) {
      throw new IllegalArgumentException("no chain verified");
    }
    ChainBreak first = null;
    long records = 0;
    int checkpoints = 0;
    int ranges = 0;
    for (VerificationResult r : perChain) {
      records += r.recordsChecked;
      checkpoints += r.checkpointsChecked;
      ranges += r.purgedRangesChecked;
      if (first == null) {
        first = r.firstBreak;
      }
    }
    VerificationResult head = perChain.get(0);
    return new VerificationResult(first, records, checkpoints, ranges, head.anchor, head.head);
  }

  /** Whether no break was found. */
  public boolean intact() {
    return firstBreak == null;
  }

  /** The first break, empty if intact. */
  public Optional<ChainBreak> firstBreak() {
    return Optional.ofNullable(firstBreak);
  }

  /** Records verified before the first break (all of them if intact). */
  public long recordsChecked() {
    return recordsChecked;
  }

  /** Checkpoints whose MAC (and hash, when their record is present) were verified. */
  public int checkpointsChecked() {
    return checkpointsChecked;
  }

  /** Purged ranges whose MAC and boundary hashes were verified (gaps retention left). */
  public int purgedRangesChecked() {
    return purgedRangesChecked;
  }

  /** The checkpoint the chain started from, if its oldest records were purged. */
  public Optional<Checkpoint> anchor() {
    return Optional.ofNullable(anchor);
  }

  /** The last verified position: the last good record, the anchor, or the genesis head. */
  public ChainHead head() {
    return head;
  }

  @Override
  public String toString() {
    return intact()
        ? "intact: "
            + recordsChecked
            + " records, "
            + checkpointsChecked
            + " checkpoints, "
            + purgedRangesChecked
            + " purged ranges"
        : "broken: " + firstBreak;
  }
}
