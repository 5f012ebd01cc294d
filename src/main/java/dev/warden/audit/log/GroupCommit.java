package dev.warden.audit.log;

import dev.warden.audit.chain.CanonicalRecord;
import dev.warden.audit.chain.ChainRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Group commit of chain appends within one server: concurrent callers' records are appended in one
 * transaction (one chain-head lock, one commit) instead of one each. Every caller still returns
 * only after the transaction holding its record has committed, or gets its failure: the record is
 * as durable before the answer as with one transaction per record, and the chain and head lock are
 * the same for every server.
 *
 * <p>Leader and followers: a caller that finds no batch running leads. It takes every queued record
 * (at most {@code maxBatch}), appends them, hands the result to each caller, and passes the lead to
 * the oldest record still queued, whose caller then runs the next batch. A failed batch of several
 * records is retried one record per transaction, so one bad record fails only its own call, unless
 * the failure is the whole batch's ({@link AuditWriteException}: the database away). With a single
 * caller it is one transaction per record, as before. Thread-safe.
 */
final class GroupCommit {

  /** Appends records, in order, in one transaction; returns their chain records. */
  interface BatchAppender {
    List<ChainRecord> append(List<Entry> entries);
  }

  /**
   * A record ready to append, with its canonical content and the rows persisted in its transaction
   * ({@link dev.warden.call.CallCompanion}).
   */
  record Entry(AuditRecord record, CanonicalRecord content, List<Object> companions) {
    Entry {
      companions = List.copyOf(companions);
    }

    Entry(AuditRecord record, CanonicalRecord content) {
      this(record, content, List.of());
    }
  }

  private static final class Pending {
    final Entry entry;
    ChainRecord result;
    RuntimeException failure;
    boolean done;
    boolean lead;

    Pending(Entry entry) {
      this.entry = entry;
    }
  }

  private final BatchAppender appender;
  private final int maxBatch;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean running;

  GroupCommit(BatchAppender appender, int maxBatch) {
    this.appender = Objects.requireNonNull(appender, "appender");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1");
    }
    this.maxBatch = maxBatch;
  }

  /**
   * Appends {@code entry}; returns once it is committed.
   *
   * @throws RuntimeException what appending it threw
   */
  ChainRecord append(Entry entry) {
    Pending me = new Pending(entry);
    boolean interrupted = false;
    synchronized (this) {
      queue.add(me);
      if (!running) {
        running = true;
        me.lead = true;
      }
      while (!me.done && !me.lead) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true; // the record must still be reported: keep waiting
        }
      }
    }
    if (!me.done) {
      lead();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (me.failure != null) {
      throw me.failure;
    }
    return me.result;
  }

  /** Records waiting for a batch (tests). */
  synchronized int queued() {
    return queue.size();
  }

  /** Runs one batch (which holds the leader's own record), then passes the lead on. */
  private void lead() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      while (!queue.isEmpty() && batch.size() < maxBatch) {
        batch.add(queue.poll());
      }
    }
    try {
      run(batch);
    } finally {
      synchronized (this) {
        for (Pending p : batch) {
          p.done = true;
        }
        Pending next = queue.peek();
        if (next == null) {
          running = false;
        } else {
          next.lead = true;
        }
        notifyAll();
      }
    }
  }

  private void run(List<Pending> batch) {
    List<Entry> entries = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      entries.add(p.entry);
    }
    try {
      List<ChainRecord> written = appender.append(entries);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result = written.get(i);
      }
    } catch (RuntimeException e) {
      if (batch.size() == 1 || e instanceof AuditWriteException) {
        // an AuditWriteException is the whole batch's (the database away): nothing to isolate
        for (Pending p : batch) {
          p.failure = e;
        }
        return;
      }
      for (Pending p : batch) { // isolate the bad record: one transaction each
        try {
          p.result = appender.append(List.of(p.entry)).get(0);
        } catch (RuntimeException single) {
          p.failure = single;
        }
      }
    }
  }
}
