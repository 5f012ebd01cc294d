package dev.warden.audit.log;

import dev.warden.call.CallCompanion;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.call.EntryPoint;
import dev.warden.cluster.DatabaseOutages;
import dev.warden.cluster.OwnTimer;
import dev.warden.config.ConfigProducer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the audit log: one encrypted, hash-chained record per call, written before the caller gets
 * its answer, and the records of operations on the log and of accesses to it.
 *
 * <p><b>Writing</b> ({@link #onCallFinished}, a synchronous observer of {@link CallFinished}):
 * outside any transaction, the record is built and its content encrypted ({@link
 * AuditRecordFactory}). Then {@link ChainAppender} appends it in its own transaction under the
 * chain-head row lock, with the rows that belong with it ({@link CallCompanion}: the call's usage
 * entry and budget settlement), so they commit together; concurrent calls on this server share that
 * transaction ({@link GroupCommit}), each returning once it committed.
 *
 * <p><b>A database that is away</b> (restarted, failing over) loses no record: a batch that meets
 * the outage is tried again while its callers wait, for at most {@value
 * dev.warden.cluster.DatabaseOutages#WINDOW}; past that, it is kept in the {@link AuditJournal} on
 * this server's disk ({@code WARDEN0325W}) and written when the database returns, and its callers
 * get {@link AuditKeptException} ({@link DurableAppender}).
 *
 * <p><b>Failure is not silent:</b> if the record can neither be written nor kept, {@code
 * WARDEN0320E} is logged (with the cause; never content, which is encrypted before any SQL) and
 * {@link AuditWriteException} is thrown from the observer, so it reaches the caller instead of the
 * answer: an injected {@code OpenAi} caller gets the exception (for a call that failed anyway, it
 * replaces the original failure), {@code /v1} and {@code /api} answer 503 {@code
 * audit_unavailable}. Streams are the exception: their record is written when the stream has ended,
 * after the events were relayed, so the caller may already hold the whole answer; the exception
 * then surfaces at the end of the stream, where the entry point can still signal it, and the log
 * line remains. Before a stream's first byte, a pending row is committed ({@link AuditOutbox}); the
 * stream's record replaces it in one transaction, and one left by a killed server becomes a FAILED
 * record when that server starts again ({@link StreamRecovery}).
 */
@ApplicationScoped
public class AuditWriter {
  private static final Logger LOG = Logger.getLogger(AuditWriter.class.getName());

  /** The principal of records no caller made (a call or operation without one). */
  public static final String PRINCIPAL = "anonymous";

  /** The tenant of records no caller made. */
  public static final String TENANT = "default";

  /** The operation of the records of API keys created by an admin. */
  public static final String KEY_CREATE = "identity.key.create";

  /** The operation of the records of API keys revoked by an admin. */
  public static final String KEY_REVOKE = "identity.key.revoke";

  /** How often the audit journal is written back when it holds records. */
  public static final String JOURNAL_INTERVAL = "warden.audit.journal.replay-interval";

  /** Most records appended in one transaction by group commit (1: one transaction per record). */
  public static final String MAX_BATCH = "warden.audit.group-commit.max-batch";

  private final AuditRecordFactory records;
  private final Callers callers;
  private final GroupCommit.BatchAppender batches;
  private final IntSupplier maxBatch;
  private volatile GroupCommit groupCommit;
  private final Iterable<CallCompanion> companions;
  private volatile OwnTimer journalTimer;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  /** For the CDI proxy only. */
  protected AuditWriter() {
    this(null, null, null, null, List.of());
  }

  @Inject
  AuditWriter(
      AuditRecordFactory records,
      Callers callers,
      ChainAppender appender,
      @Any Instance<CallCompanion> companions) {
    this(
        records,
        callers,
        new DurableAppender(
            appender::appendAll,
            appender::appendAllOnce,
            AuditJournal.configured(),
            DatabaseOutages::window,
            DatabaseOutages.Sleeper.THREAD,
            System::nanoTime),
        () -> ConfigProducer.settings().integer(MAX_BATCH, 64, 1),
        companions);
  }

  /** A writer that appends with {@code batches}, at most {@code maxBatch} records at a time. */
  AuditWriter(
      AuditRecordFactory records,
      Callers callers,
      GroupCommit.BatchAppender batches,
      IntSupplier maxBatch) {
    this(records, callers, batches, maxBatch, List.of());
  }

  /**
   * {@link #AuditWriter(AuditRecordFactory, Callers, GroupCommit.BatchAppender, IntSupplier)} that
   * persists the rows of {@code companions} with each call's record.
   */
  AuditWriter(
      AuditRecordFactory records,
      Callers callers,
      GroupCommit.BatchAppender batches,
      IntSupplier maxBatch,
      Iterable<CallCompanion> companions) {
    this.companions = companions;
    this.records = records;
    this.callers = callers;
    this.batches = batches;
    this.maxBatch = maxBatch;
  }

  /**
   * Writes back what the audit journal holds every {@value #JOURNAL_INTERVAL} (default 2 s): a
   * listing of its directory when it holds nothing.
   */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    Duration every = ConfigProducer.settings().duration(JOURNAL_INTERVAL, Duration.ofSeconds(2));
    if (batches instanceof DurableAppender && !every.isZero() && !every.isNegative()) {
      journalTimer = OwnTimer.every(every, this::replayJournal, threads);
    }
  }

  @PreDestroy
  void stop() {
    if (journalTimer != null) {
      journalTimer.stop();
    }
  }

  /**
   * Writes what the audit journal holds now (at start, before the calls this server's previous run
   * left are recovered, so a kept record is not taken for an interrupted call).
   *
   * @return how many records were written
   */
  int replayJournal() {
    return batches instanceof DurableAppender d ? d.replay() : 0;
  }

  /** How many batches of records the audit journal holds, waiting for the database. */
  public int journalBatches() {
    return batches instanceof DurableAppender d ? d.batchesWaiting() : 0;
  }

  private GroupCommit groupCommit() {
    GroupCommit g = groupCommit;
    if (g == null) {
      synchronized (this) {
        g = groupCommit;
        if (g == null) {
          g = new GroupCommit(batches, maxBatch.getAsInt());
          groupCommit = g;
        }
      }
    }
    return g;
  }

  /**
   * Writes the record of a finished call.
   *
   * @throws AuditWriteException if it cannot be written
   */
  void onCallFinished(@Observes CallFinished call) {
    List<Object> rows = new ArrayList<>(1);
    for (CallCompanion c : companions) {
      Object row = c.companionOf(call);
      if (row != null) {
        rows.add(row);
      }
    }
    append(records.forCall(call), rows);
  }

  /**
   * Records that {@code actor} read audit content ({@code operation} such as {@value
   * AuditReader#READ} or {@link AuditExport#EXPORT}) or performed an administrative action ({@value
   * #KEY_CREATE}, {@value #KEY_REVOKE}): their principal and tenant, entry point {@code API}, and
   * {@code details} (what was read or done, never content or secrets) encrypted under the actor's
   * tenant key. Written before the content is handed out.
   *
   * @throws AuditWriteException if it cannot be written (the content must then not be handed out)
   */
  public AuditRecord recordAccess(String operation, Caller actor, Object details) {
    return appendOperation(
        operation, EntryPoint.API.name(), actor.principal(), actor.tenant(), null, details);
  }

  /**
   * Records that {@code actor} read the decrypted content of record {@code recordId} ({@value
   * AuditReader#READ}), and why when a reason is given: the details ({@code record_ids}, {@code
   * reason}) are encrypted under the actor's tenant key as for {@link #recordAccess}, and an {@code
   * audit_read} row naming the record read is written in the same transaction, so {@link
   * AuditReader#reads} finds it. Written before the content is handed out.
   *
   * @param reason why the content is read, or null (not asked for)
   * @throws AuditWriteException if it cannot be written (the content must then not be handed out)
   */
  public AuditRecord recordRead(Caller actor, String recordId, String reason) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("record_ids", List.of(recordId));
    if (reason != null) {
      details.put("reason", reason);
    }
    AuditRecord r =
        records.operation(
            AuditReader.READ,
            EntryPoint.API.name(),
            actor.principal(),
            actor.tenant(),
            null,
            details);
    append(r, List.of(new AuditReadEntity(r.recordId, recordId, r.createdAt)));
    return r;
  }

  /**
   * Appends the record of an operation on the audit log itself (erasure, legal hold, purge): no
   * upstream call, outcome {@code SUCCEEDED}, the details (JSON-B, may be null) encrypted in the
   * request column under the tenant's key, never the subject's (so erasing the subject keeps them).
   * The acting principal is the current caller ({@link Callers#current()}: {@code anonymous} for
   * scheduled jobs).
   *
   * @throws AuditWriteException if it cannot be written
   */
  AuditRecord appendOperation(
      String operation, String entryPoint, String tenant, String pseudonym, Object details) {
    return appendOperation(
        operation, entryPoint, callers.current().principal(), tenant, pseudonym, details);
  }

  AuditRecord appendOperation(
      String operation,
      String entryPoint,
      String principal,
      String tenant,
      String pseudonym,
      Object details) {
    AuditRecord r = records.operation(operation, entryPoint, principal, tenant, pseudonym, details);
    append(r);
    return r;
  }

  private void append(AuditRecord record) {
    append(record, List.of());
  }

  private void append(AuditRecord record, List<Object> rows) {
    try {
      groupCommit().append(new GroupCommit.Entry(record, AuditRecords.canonical(record), rows));
    } catch (AuditKeptException kept) {
      throw kept; // WARDEN0325W said it: kept, not lost
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0320E: the audit record of request "
              + record.requestId
              + " could not be written; the"
              + " call fails",
          e);
      for (Object row : rows) {
        for (CallCompanion c : companions) {
          c.abandoned(row);
        }
      }
      throw new AuditWriteException(
          "the audit record of request " + record.requestId + " failed", e);
    }
  }
}
