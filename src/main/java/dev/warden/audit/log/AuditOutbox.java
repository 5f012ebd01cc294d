package dev.warden.audit.log;

import dev.warden.call.CallContext;
import dev.warden.call.StreamOutbox;
import dev.warden.cluster.DatabaseOutages;
import dev.warden.cluster.ServerGone;
import dev.warden.cluster.ServerLeases;
import dev.warden.config.ConfigProducer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stream outbox of the audit log. A stream's record is written when the stream ends; so that a
 * killed server cannot lose the record of a stream whose 200 already went out, a pending row
 * ({@link PendingStreamEntity}, metadata only) is committed before the stream's first byte: {@link
 * #pending} writes it on a small pool of its own while the request thread opens the upstream
 * stream, and the pipeline waits for it only before relaying. The stream's record replaces the row
 * in one transaction ({@link ChainAppender#appendAll}).
 *
 * <p>Each row names its server ({@link ServerLeases#name()}). What a server left is recovered when
 * it is gone ({@link ServerGone}): at its own next start, the rows of streams started before this
 * JVM, or, once its lease expired, by the live server that claimed it; each such row becomes a
 * FAILED record with error {@link StreamRecovery#SERVER_INTERRUPTED}. A row still under way on a
 * live server is never taken: its server renews its lease.
 */
@ApplicationScoped
public class AuditOutbox implements StreamOutbox {
  private static final Logger LOG = Logger.getLogger(AuditOutbox.class.getName());

  @Inject ChainAppender appender;
  @Inject StreamRecovery recovery;
  @Inject ServerLeases leases;
  @Inject AuditWriter writer;

  /** Threads that write pending rows (a pool of its own; default 4). */
  public static final String THREADS = "warden.audit.outbox.threads";

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private volatile ExecutorService executor;

  /**
   * The writers' pool. Not the server's shared executor: under load its threads can all be request
   * threads waiting for a pending row, and the write would queue behind them (streams then hung on
   * a two-core machine). Managed threads, so the writes run with the application's context.
   */
  private ExecutorService executor() {
    ExecutorService e = executor;
    if (e == null) {
      synchronized (this) {
        e = executor;
        if (e == null) {
          e =
              Executors.newFixedThreadPool(
                  ConfigProducer.settings().integer(THREADS, 4, 1), threads);
          executor = e;
        }
      }
    }
    return e;
  }

  @PreDestroy
  synchronized void stop() {
    if (executor != null) {
      executor.shutdown();
    }
  }

  @Override
  public CompletableFuture<Void> pending(CallContext call, String operation, boolean streamed) {
    PendingStreamEntity row = new PendingStreamEntity();
    row.requestId = call.requestId();
    row.owner = leases.name();
    row.operation = operation;
    row.entryPoint = call.entryPoint() == null ? "UNKNOWN" : call.entryPoint().name();
    row.principal = call.caller().principal();
    row.tenant = call.caller().tenant();
    row.requestedModel = call.requestedModel();
    row.startedAt = call.startedAt().truncatedTo(ChronoUnit.MICROS);
    row.streamed = streamed;
    row.apiKeyId = call.caller().apiKeyId();
    row.promptId = call.promptId();
    row.promptVersion = call.promptVersion();
    // written once admission counted the input (what the call is charged should its server end)
    return call.countedInput()
        .thenAcceptAsync(
            tokens -> {
              row.inputTokens = tokens;
              try {
                // a database that is away is waited for, within the retry window; the
                // call's request reaches the upstream only once the row is in
                DatabaseOutages.retry(
                    () -> {
                      appender.insertPending(row);
                      return null;
                    },
                    () -> {
                      appender.insertPendingOnce(row);
                      return null;
                    });
              } catch (RuntimeException e) {
                LOG.log(
                    Level.SEVERE,
                    "WARDEN0323E: the pending audit row of call "
                        + row.requestId
                        + " could not be written; the call is refused",
                    e);
                throw new AuditWriteException(
                    "the pending audit row of call " + row.requestId + " failed", e);
              }
            },
            executor())
        .toCompletableFuture();
  }

  /**
   * Records the streams a gone server left (this server's previous run at its start, or a server
   * whose lease this one claimed). A failure for this server's own rows is logged, and they are
   * tried again at the next start; for another server's it is thrown, so the claim is retried.
   */
  void onServerGone(@Observes ServerGone gone) {
    if (gone.name().equals(leases.name())) {
      // what this server kept while the database was away goes first: those calls have their
      // records, and must not be recorded as interrupted
      writer.replayJournal();
    }
    try {
      int n = recovery.recoverInterrupted(gone.name(), gone.before());
      if (n > 0) {
        LOG.log(
            Level.WARNING,
            "WARDEN0324W: {0} call(s) of server {1} cut by its end recorded as FAILED ({2})",
            new Object[] {n, gone.name(), StreamRecovery.SERVER_INTERRUPTED});
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0322E: the interrupted calls of server "
              + gone.name()
              + " could not be recorded; they are tried again",
          e);
      if (!gone.name().equals(leases.name())) {
        throw e;
      }
    }
  }
}
