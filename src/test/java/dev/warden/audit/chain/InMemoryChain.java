package dev.warden.audit.chain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append protocol of the package design note, in memory: one lock stands for the {@code SELECT
 * ... FOR UPDATE} on the chain-head row. Content is built before the lock; only linking and storing
 * happen under it.
 */
final class InMemoryChain {
  private final ReentrantLock headLock = new ReentrantLock();
  private final List<ChainRecord> records = new ArrayList<>();
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private final List<PurgedRange> purged = new ArrayList<>();
  private ChainHead head = ChainHead.GENESIS;

  ChainRecord append(String recordId, CanonicalRecord content) {
    headLock.lock();
    try {
      ChainRecord record = ChainHasher.next(head, recordId, content);
      records.add(record);
      head = record.head();
      return record;
    } finally {
      headLock.unlock();
    }
  }

  Checkpoint checkpoint(CheckpointSigner signer, Instant at) {
    headLock.lock();
    try {
      Checkpoint cp = signer.sign(head, at);
      checkpoints.add(cp);
      return cp;
    } finally {
      headLock.unlock();
    }
  }

  /** Retention: checkpoint the boundary record, then delete everything up to it. */
  void purgeThrough(long boundary, CheckpointSigner signer, Instant at) {
    headLock.lock();
    try {
      ChainRecord last =
          records.stream().filter(r -> r.sequence() == boundary).findFirst().orElseThrow();
      if (checkpoints.stream().noneMatch(c -> c.sequence() == boundary)) {
        checkpoints.add(signer.sign(last.head(), at));
      }
      records.removeIf(r -> r.sequence() <= boundary);
    } finally {
      headLock.unlock();
    }
  }

  /**
   * Retention with gaps, as the audit log's purge job does it: deletes the records {@code seqs},
   * and for every run of consecutive ones stores a purged range with the hash before and after it.
   */
  List<PurgedRange> purge(java.util.SortedSet<Long> seqs, CheckpointSigner signer, Instant at) {
    headLock.lock();
    try {
      List<PurgedRange> made = new ArrayList<>();
      Long from = null;
      Long to = null;
      for (long seq : seqs) {
        if (to != null && seq == to + 1) {
          to = seq;
          continue;
        }
        if (from != null) {
          made.add(purgeRun(from, to, signer, at));
        }
        from = seq;
        to = seq;
      }
      if (from != null) {
        made.add(purgeRun(from, to, signer, at));
      }
      records.removeIf(r -> seqs.contains(r.sequence()));
      return made;
    } finally {
      headLock.unlock();
    }
  }

  private PurgedRange purgeRun(long from, long to, CheckpointSigner signer, Instant at) {
    PurgedRange range = signer.signPurge(from, to, hashAt(from - 1), hashAt(to), at);
    purged.add(range);
    return range;
  }

  private byte[] hashAt(long seq) {
    if (seq == 0) {
      return ChainHead.GENESIS.hash();
    }
    return records.stream()
        .filter(r -> r.sequence() == seq)
        .map(ChainRecord::hash)
        .findFirst()
        .orElseGet(
            () ->
                purged.stream()
                    .filter(p -> p.to() == seq)
                    .map(PurgedRange::hashAfter)
                    .findFirst()
                    .orElseThrow());
  }

  List<PurgedRange> purged() {
    headLock.lock();
    try {
      return new ArrayList<>(purged);
    } finally {
      headLock.unlock();
    }
  }

  List<ChainRecord> records() {
    headLock.lock();
    try {
      return new ArrayList<>(records);
    } finally {
      headLock.unlock();
    }
  }

  List<Checkpoint> checkpoints() {
    headLock.lock();
    try {
      return new ArrayList<>(checkpoints);
    } finally {
      headLock.unlock();
    }
  }

  ChainHead head() {
    headLock.lock();
    try {
      return head;
    } finally {
      headLock.unlock();
    }
  }
}
