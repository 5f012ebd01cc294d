package dev.warden.audit.chain;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Walks a chain in sequence order and names the first broken record.
 *
 * <p>For each record, in this order: the sequence number must be the expected one (a gap is {@link
 * BreakReason#RECORD_MISSING}, a repeat {@link BreakReason#DUPLICATE_SEQUENCE}); the stored
 * previous hash must equal the predecessor's hash ({@link BreakReason#RECORD_INSERTED}, {@link
 * BreakReason#RECORDS_REORDERED} or {@link BreakReason#LINK_BROKEN}); the stored hash must equal
 * the recomputed one ({@link BreakReason#CONTENT_MODIFIED}); and every checkpoint at that sequence
 * must have a valid MAC ({@link BreakReason#CHECKPOINT_FORGED}) and the record's hash ({@link
 * BreakReason#CHECKPOINT_MISMATCH}).
 *
 * <p>Retention leaves gaps: every gap in the sequence numbers must be crossed exactly by {@link
 * PurgedRange}s, each with a valid MAC, starting at the first missing sequence number with the hash
 * of the record (or range) before it; the range's last hash becomes the expected previous hash. A
 * checkpoint inside a range is checked for its MAC, and at the range's end against its last hash.
 * Without a range at the start (older purges), the latest checkpoint before the first record must
 * be valid and sit exactly at the record before it, and its hash becomes the expected previous
 * hash. Valid checkpoints past the last record mean the tail was deleted. An empty chain is intact
 * if all checkpoints verify (everything was purged).
 *
 * <p>A verifier checks one chain ({@link ChainHasher}): the records, checkpoints and purged ranges
 * given must be of that chain; a checkpoint or range sealed for another chain does not verify.
 *
 * <p>Limits: someone holding database write access can delete records after the latest checkpoint
 * without trace, or recompute hashes after it; checkpoint often, and copy checkpoints outside the
 * database (log, SIEM) to narrow that window. Thread-safe; records are read once, in one pass, so a
 * lazily paged result set works.
 */
public final class ChainVerifier {
  private final CheckpointSigner signer;
  private final int chain;
  private final ChainHead genesis;

  /** Verifies the first chain, which starts at {@link ChainHead#GENESIS}. */
  public ChainVerifier(CheckpointSigner signer) {
    this(signer, ChainHasher.FIRST_CHAIN, ChainHead.GENESIS);
  }

  /** Verifies chain {@code chain}, which starts at {@link ChainHead#GENESIS}. */
  public ChainVerifier(CheckpointSigner signer, int chain) {
    this(signer, chain, ChainHead.GENESIS);
  }

  /** Verifies the first chain, starting after {@code genesis} (e.g. continuing an archive). */
  public ChainVerifier(CheckpointSigner signer, ChainHead genesis) {
    this(signer, ChainHasher.FIRST_CHAIN, genesis);
  }

  /** Verifies chain {@code chain}, starting after {@code genesis}. */
  public ChainVerifier(CheckpointSigner signer, int chain, ChainHead genesis) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.chain = ChainHasher.checkChain(chain);
    this.genesis = Objects.requireNonNull(genesis, "genesis");
  }

  /**
   * Verifies {@code records}, which must be in ascending sequence order (as {@code ORDER BY seq}
   * returns them), against {@code checkpoints} (any order). Stops at the first break.
   *
   * @throws NullPointerException if an argument or element is null
   */
  public VerificationResult verify(
      Iterable<ChainRecord> records, Collection<Checkpoint> checkpoints) {
    return verify(records, checkpoints, List.of());
  }

  /**
   * Verifies {@code records} (ascending sequence order) against {@code checkpoints} and the {@code
   * purged} ranges retention deleted (both in any order). A gap in the sequence numbers must be
   * bridged exactly by valid purged ranges, each starting where the previous record (or range)
   * ended with the hash it recorded. Stops at the first break.
   *
   * @throws NullPointerException if an argument or element is null
   */
  public VerificationResult verify(
      Iterable<ChainRecord> records,
      Collection<Checkpoint> checkpoints,
      Collection<PurgedRange> purged) {
    List<Checkpoint> cps = new ArrayList<>(checkpoints);
    cps.sort(Comparator.comparingLong(Checkpoint::sequence));
    Map<Long, PurgedRange> ranges = new HashMap<>();
    for (PurgedRange r : purged) {
      if (ranges.putIfAbsent(r.from(), r) != null) {
        // two ranges claim the same start: keep the first, the other cannot bridge anything
        continue;
      }
    }
    return new Walk(records.iterator(), cps, ranges).run();
  }

  /**
   * Verifies as {@link #verify(Iterable, Collection, Collection)}, then checks the chain against
   * the stored head: its MAC ({@code headMac}, null only for the genesis head) must be valid, and
   * the chain must end exactly at it, so deleting the newest records is named even after the last
   * checkpoint ({@link BreakReason#RECORD_MISSING}). {@code records} must stop at the head's
   * sequence number (records appended while verifying are not part of this check).
   *
   * @throws NullPointerException if an argument but {@code headMac} is null
   */
  public VerificationResult verify(
      Iterable<ChainRecord> records,
      Collection<Checkpoint> checkpoints,
      Collection<PurgedRange> purged,
      ChainHead storedHead,
      byte[] headMac) {
    Objects.requireNonNull(storedHead, "storedHead");
    VerificationResult result = verify(records, checkpoints, purged);
    if (!result.intact()) {
      return result;
    }
    ChainBreak b = null;
    if (headMac == null) {
      if (!storedHead.equals(genesis)) {
        b =
            new ChainBreak(
                storedHead.sequence(),
                null,
                BreakReason.HEAD_MISMATCH,
                "the chain head at " + storedHead.sequence() + " has no MAC");
      }
    } else if (!signer.verifyHead(chain, storedHead, headMac)) {
      b =
          new ChainBreak(
              storedHead.sequence(),
              null,
              BreakReason.HEAD_MISMATCH,
              "the chain head at " + storedHead.sequence() + " has an invalid MAC");
    }
    return b == null ? endsAt(result, storedHead) : result.withBreak(b.inChain(chain));
  }

  /**
   * Verifies as {@link #verify(Iterable, Collection, Collection)}, then checks that the chain ends
   * exactly at {@code end}, a head the caller trusts without a MAC: the bounds of an export, whose
   * signature the caller has checked. Deleting the newest records is named ({@link
   * BreakReason#RECORD_MISSING}), and so are records past it.
   *
   * @throws NullPointerException if an argument is null
   */
  public VerificationResult verifyEndingAt(
      Iterable<ChainRecord> records,
      Collection<Checkpoint> checkpoints,
      Collection<PurgedRange> purged,
      ChainHead end) {
    Objects.requireNonNull(end, "end");
    VerificationResult result = verify(records, checkpoints, purged);
    return result.intact() ? endsAt(result, end) : result;
  }

  private VerificationResult endsAt(VerificationResult result, ChainHead storedHead) {
    ChainBreak b = null;
    ChainHead reached = result.head();
    if (reached.sequence() < storedHead.sequence()) {
      b =
          new ChainBreak(
              reached.sequence() + 1,
              null,
              BreakReason.RECORD_MISSING,
              "the chain ends at "
                  + reached.sequence()
                  + " but the signed head vouches for record "
                  + storedHead.sequence());
    } else if (b == null && reached.sequence() > storedHead.sequence()) {
      b =
          new ChainBreak(
              storedHead.sequence() + 1,
              null,
              BreakReason.RECORD_INSERTED,
              "records past the signed head at " + storedHead.sequence());
    } else if (b == null && !reached.equals(storedHead)) {
      b =
          new ChainBreak(
              storedHead.sequence(),
              null,
              BreakReason.HEAD_MISMATCH,
              "record " + storedHead.sequence() + " differs from the signed head");
    }
    return b == null ? result : result.withBreak(b.inChain(chain));
  }

  private final class Walk {
    private final Iterator<ChainRecord> records;
    private final List<Checkpoint> checkpoints;
    private final Map<Long, PurgedRange> ranges;
    private int nextCheckpoint;
    private int checkpointsChecked;
    private int rangesChecked;
    private long recordsChecked;
    private Checkpoint anchor;
    private ChainHead head = genesis;
    private long expectedSeq;
    private byte[] expectedPrev;
    private String previousId;

    Walk(Iterator<ChainRecord> records, List<Checkpoint> checkpoints, Map<Long, PurgedRange> r) {
      this.records = records;
      this.checkpoints = checkpoints;
      this.ranges = r;
    }

    VerificationResult run() {
      ChainRecord current = records.hasNext() ? Objects.requireNonNull(records.next()) : null;
      long start = genesis.sequence() + 1;
      expectedSeq = start;
      expectedPrev = genesis.hash();
      if (current == null) {
        ChainBreak b = bridge(Long.MAX_VALUE);
        if (b != null) {
          return done(b);
        }
        while (nextCheckpoint < checkpoints.size()) {
          Checkpoint cp = checkpoints.get(nextCheckpoint++);
          if (!sealed(cp)) {
            return forged(cp);
          }
          if (cp.sequence() >= expectedSeq) {
            checkpointsChecked++;
            anchor = cp;
            head = new ChainHead(cp.sequence(), cp.hashRef());
          }
        }
        return done(null);
      }

      long first = current.sequence();
      if (first > start && !ranges.containsKey(start)) {
        // purged before purged ranges existed: the latest checkpoint before the first record
        // anchors it
        Checkpoint latestBefore = null;
        while (nextCheckpoint < checkpoints.size()
            && checkpoints.get(nextCheckpoint).sequence() < first) {
          Checkpoint cp = checkpoints.get(nextCheckpoint++);
          if (!sealed(cp)) {
            return forged(cp);
          }
          checkpointsChecked++;
          latestBefore = cp;
        }
        if (latestBefore == null || latestBefore.sequence() < start) {
          return done(
              new ChainBreak(
                  start,
                  null,
                  BreakReason.RECORD_MISSING,
                  "records "
                      + start
                      + " to "
                      + (first - 1)
                      + " are missing and no checkpoint anchors record "
                      + first));
        } else if (latestBefore.sequence() != first - 1) {
          return done(
              new ChainBreak(
                  latestBefore.sequence() + 1,
                  null,
                  BreakReason.RECORD_MISSING,
                  "records "
                      + (latestBefore.sequence() + 1)
                      + " to "
                      + (first - 1)
                      + " are missing after the checkpoint at "
                      + latestBefore.sequence()));
        }
        anchor = latestBefore;
        expectedPrev = latestBefore.hash();
        expectedSeq = first;
        head = new ChainHead(latestBefore.sequence(), expectedPrev);
      } else if (first < start) {
        return done(
            new ChainBreak(
                first,
                current.recordId(),
                BreakReason.DUPLICATE_SEQUENCE,
                "sequence " + first + " is before the chain start " + start));
      }

      byte[] twoBack = null;
      while (current != null) {
        ChainRecord next = records.hasNext() ? Objects.requireNonNull(records.next()) : null;
        long seq = current.sequence();
        String id = current.recordId();
        if (seq < expectedSeq) {
          return done(
              new ChainBreak(
                  seq,
                  id,
                  BreakReason.DUPLICATE_SEQUENCE,
                  "sequence " + seq + " follows " + (expectedSeq - 1)));
        }
        if (seq > expectedSeq) {
          ChainBreak b = bridge(seq);
          if (b != null) {
            return done(b);
          }
          twoBack = null;
        }
        byte[] prev = current.previousHashRef();
        if (!MessageDigest.isEqual(prev, expectedPrev)) {
          if (twoBack != null && MessageDigest.isEqual(prev, twoBack)) {
            return done(
                new ChainBreak(
                    seq - 1,
                    previousId,
                    BreakReason.RECORD_INSERTED,
                    "record " + seq + " links past record " + (seq - 1) + ", which was inserted"));
          }
          if (next != null
              && MessageDigest.isEqual(next.previousHashRef(), expectedPrev)
              && MessageDigest.isEqual(prev, next.hashRef())) {
            return done(
                new ChainBreak(
                    seq,
                    id,
                    BreakReason.RECORDS_REORDERED,
                    "records " + seq + " and " + (seq + 1) + " are swapped"));
          }
          return done(
              new ChainBreak(
                  seq,
                  id,
                  BreakReason.LINK_BROKEN,
                  "the previous hash of record " + seq + " does not match record " + (seq - 1)));
        }
        if (!MessageDigest.isEqual(
            ChainHasher.hash(chain, seq, prev, current.content()), current.hashRef())) {
          return done(
              new ChainBreak(
                  seq,
                  id,
                  BreakReason.CONTENT_MODIFIED,
                  "the hash of record " + seq + " does not match its content"));
        }
        while (nextCheckpoint < checkpoints.size()
            && checkpoints.get(nextCheckpoint).sequence() == seq) {
          Checkpoint cp = checkpoints.get(nextCheckpoint++);
          if (!sealed(cp)) {
            return forged(cp);
          }
          if (!MessageDigest.isEqual(cp.hashRef(), current.hashRef())) {
            return done(
                new ChainBreak(
                    seq,
                    id,
                    BreakReason.CHECKPOINT_MISMATCH,
                    "record " + seq + " differs from the checkpoint made at " + cp.createdAt()));
          }
          checkpointsChecked++;
        }
        twoBack = expectedPrev;
        expectedPrev = current.hashRef();
        expectedSeq = seq + 1;
        previousId = id;
        recordsChecked++;
        head = current.head();
        current = next;
      }

      // ranges purged after the last record: bridged, so checkpoints past them still count
      ChainBreak trailing = bridge(Long.MAX_VALUE);
      if (trailing != null) {
        return done(trailing);
      }
      while (nextCheckpoint < checkpoints.size()) {
        Checkpoint cp = checkpoints.get(nextCheckpoint++);
        if (!sealed(cp)) {
          return forged(cp);
        }
        return done(
            new ChainBreak(
                expectedSeq,
                null,
                BreakReason.RECORD_MISSING,
                "the chain ends at "
                    + (expectedSeq - 1)
                    + " but a checkpoint vouches for record "
                    + cp.sequence()));
      }
      return done(null);
    }

    /**
     * Crosses purged ranges from {@code expectedSeq} up to record {@code target} (exclusive); with
     * {@code Long.MAX_VALUE}, crosses as many as start there. Null when crossed.
     */
    private ChainBreak bridge(long target) {
      boolean open = target == Long.MAX_VALUE;
      while (open ? ranges.containsKey(expectedSeq) : expectedSeq < target) {
        PurgedRange r = ranges.get(expectedSeq);
        if (r == null) {
          return new ChainBreak(
              expectedSeq,
              null,
              BreakReason.RECORD_MISSING,
              "records "
                  + expectedSeq
                  + " to "
                  + (target - 1)
                  + " are missing before record "
                  + target);
        }
        if (!sealed(r)) {
          return new ChainBreak(
              r.from(),
              null,
              BreakReason.CHECKPOINT_FORGED,
              "the purge of records " + r.from() + " to " + r.to() + " has an invalid MAC");
        }
        if (!MessageDigest.isEqual(r.hashBeforeRef(), expectedPrev)) {
          return new ChainBreak(
              expectedSeq - 1,
              previousId,
              BreakReason.CHECKPOINT_MISMATCH,
              "record "
                  + (expectedSeq - 1)
                  + " differs from the one the purge of "
                  + r.from()
                  + " to "
                  + r.to()
                  + " followed");
        }
        if (!open && r.to() >= target) {
          return new ChainBreak(
              target,
              null,
              BreakReason.RECORD_INSERTED,
              "record " + target + " lies in the purged range " + r.from() + " to " + r.to());
        }
        while (nextCheckpoint < checkpoints.size()
            && checkpoints.get(nextCheckpoint).sequence() <= r.to()) {
          Checkpoint cp = checkpoints.get(nextCheckpoint++);
          if (!sealed(cp)) {
            return forgedBreak(cp);
          }
          if (cp.sequence() == r.to() && !MessageDigest.isEqual(cp.hashRef(), r.hashAfterRef())) {
            return new ChainBreak(
                cp.sequence(),
                null,
                BreakReason.CHECKPOINT_MISMATCH,
                "the purge of records "
                    + r.from()
                    + " to "
                    + r.to()
                    + " differs from the checkpoint made at "
                    + cp.createdAt());
          }
          checkpointsChecked++;
        }
        rangesChecked++;
        expectedPrev = r.hashAfterRef();
        expectedSeq = r.to() + 1;
        head = new ChainHead(r.to(), expectedPrev);
      }
      return null;
    }

    /** Whether {@code cp} is of this chain and its seal is valid. */
    private boolean sealed(Checkpoint cp) {
      return cp.chain() == chain && signer.verify(cp);
    }

    /** Whether {@code r} is of this chain and its seal is valid. */
    private boolean sealed(PurgedRange r) {
      return r.chain() == chain && signer.verify(r);
    }

    private VerificationResult forged(Checkpoint cp) {
      return done(forgedBreak(cp));
    }

    private ChainBreak forgedBreak(Checkpoint cp) {
      return new ChainBreak(
          cp.sequence(),
          null,
          BreakReason.CHECKPOINT_FORGED,
          "the checkpoint at " + cp.sequence() + " has an invalid MAC");
    }

    private VerificationResult done(ChainBreak chainBreak) {
      return new VerificationResult(
          chainBreak == null ? null : chainBreak.inChain(chain),
          recordsChecked,
          checkpointsChecked,
          rangesChecked,
          anchor,
          head);
    }
  }
}
