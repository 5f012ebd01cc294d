package dev.warden.audit.log;

import dev.warden.audit.chain.ChainRecord;
import dev.warden.cluster.DatabaseOutages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Appends a batch of records so that a database outage loses none: a batch that meets an outage
 * ({@link DatabaseOutages#isOutage}: a restart, a failover) is tried again while its callers wait,
 * for at most the retry window ({@value DatabaseOutages#WINDOW}); if the outage lasts longer, the
 * batch is kept in the {@link AuditJournal} and its callers get {@link AuditKeptException} (the
 * answer withheld, a 503), and {@link #replay} writes it when the database is back. A failure that
 * is not an outage is thrown at once, as before.
 *
 * <p>An attempt after the first may find its records already in: the connection can be cut while a
 * commit succeeds. Those attempts, and replays, use {@link ChainAppender#appendAllOnce}, which
 * skips a record already in the chain, so no record is appended twice.
 */
final class DurableAppender implements GroupCommit.BatchAppender {
  private static final Logger LOG = Logger.getLogger(DurableAppender.class.getName());

  private final GroupCommit.BatchAppender first;
  private final GroupCommit.BatchAppender again;
  private final AuditJournal journal;
  private final Supplier<Duration> window;
  private final DatabaseOutages.Sleeper sleeper;
  private final LongSupplier nanoTime;

  /**
   * @param first appends a batch that cannot be in the chain yet
   * @param again appends a batch that may be, skipping what is
   */
  DurableAppender(
      GroupCommit.BatchAppender first,
      GroupCommit.BatchAppender again,
      AuditJournal journal,
      Supplier<Duration> window,
      DatabaseOutages.Sleeper sleeper,
      LongSupplier nanoTime) {
    this.first = first;
    this.again = again;
    this.journal = journal;
    this.window = window;
    this.sleeper = sleeper;
    this.nanoTime = nanoTime;
  }

  /**
   * @throws AuditKeptException if the batch went to the journal
   * @throws AuditWriteException if it could not go there either
   */
  @Override
  public List<ChainRecord> append(List<GroupCommit.Entry> entries) {
    Duration w = window.get();
    try {
      return DatabaseOutages.retry(
          () -> first.append(entries), () -> again.append(entries), w, sleeper, nanoTime);
    } catch (DatabaseOutages.OutageOutlasted outage) {
      try {
        journal.keep(entries);
      } catch (IOException | RuntimeException e) {
        outage.addSuppressed(e);
        throw new AuditWriteException(
            "the database was unavailable for longer than "
                + w
                + " and the audit journal could not keep the records either",
            outage);
      }
      LOG.log(
          Level.WARNING,
          "WARDEN0325W: {0} audit record(s) kept in the journal: the database was unavailable for"
              + " longer than {1} ({2} attempts); they are written when it returns",
          new Object[] {entries.size(), w, outage.attempts()});
      throw new AuditKeptException(entries.size(), outage);
    }
  }

  /**
   * Writes what the journal holds, oldest first, each batch in one transaction, deleting it once
   * committed; stops at the first batch that fails (the database still away), to try again later.
   *
   * @return how many records were in the batches written
   */
  synchronized int replay() {
    int written = 0;
    try {
      for (Path file : journal.waiting()) {
        AuditJournal.Batch batch = journal.read(file);
        again.append(batch.entries());
        journal.done(batch);
        written += batch.entries().size();
      }
    } catch (IOException | RuntimeException e) {
      if (DatabaseOutages.isOutage(e)) {
        LOG.log(
            Level.FINE, "the audit journal waits for the database ({0})", e.getClass().getName());
      } else {
        LOG.log(Level.SEVERE, "WARDEN0326E: the audit journal could not be written back", e);
      }
    }
    if (written > 0) {
      LOG.log(
          Level.INFO,
          "WARDEN0327I: {0} audit record(s) written from the journal",
          new Object[] {written});
    }
    return written;
  }

  /** How many batches the journal holds; -1 when its directory cannot be read. */
  int batchesWaiting() {
    try {
      return journal.waiting().size();
    } catch (IOException e) {
      return -1;
    }
  }
}
