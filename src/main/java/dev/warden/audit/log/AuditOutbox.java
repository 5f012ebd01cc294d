package dev.warden.audit.log;

import dev.warden.call.CallContext;
import dev.warden.call.StreamOutbox;
import dev.warden.config.ConfigProducer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
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
 * <p>Each row names its server ({@value #OWNER}; by default the host name and the server's
 * directory). When the application starts, the rows its server left from streams started before
 * this JVM become FAILED records with error {@link StreamRecovery#SERVER_INTERRUPTED}. Only the
 * owner recovers a row: with several servers on one database, another server's row may be a stream
 * still under way, and no stream has a longest duration after which it is surely dead. A server
 * that never starts again under its name leaves its rows in {@code audit_stream_pending}; starting
 * a server with that {@value #OWNER} recovers them.
 */
@ApplicationScoped
public class AuditOutbox implements StreamOutbox {
  private static final Logger LOG = Logger.getLogger(AuditOutbox.class.getName());

  /** Which server relays a stream (recovers its pending rows); unique per server on a database. */
  public static final String OWNER = "warden.audit.outbox.owner";

  @Inject ChainAppender appender;
  @Inject StreamRecovery recovery;

  /** Threads that write pending rows (a pool of its own; default 4). */
  public static final String THREADS = "warden.audit.outbox.threads";

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private volatile String owner;
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
  public CompletableFuture<Void> pending(CallContext call, String operation) {
    PendingStreamEntity row = new PendingStreamEntity();
    row.requestId = call.requestId();
    row.owner = owner();
    row.operation = operation;
    row.entryPoint = call.entryPoint() == null ? "UNKNOWN" : call.entryPoint().name();
    row.principal = call.caller().principal();
    row.tenant = call.caller().tenant();
    row.requestedModel = call.requestedModel();
    row.startedAt = call.startedAt().truncatedTo(ChronoUnit.MICROS);
    row.streamed = true;
    return CompletableFuture.runAsync(
        () -> {
          try {
            appender.insertPending(row);
          } catch (RuntimeException e) {
            LOG.log(
                Level.SEVERE,
                "WARDEN0323E: the pending audit row of stream "
                    + row.requestId
                    + " could not be written; the stream is refused",
                e);
            throw new AuditWriteException(
                "the pending audit row of stream " + row.requestId + " failed", e);
          }
        },
        executor());
  }

  /** Recovers this server's rows from its previous run, after the migrations ran. */
  void onStart(
      @Observes
          @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
          @Initialized(ApplicationScoped.class)
          Object started) {
    Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    try {
      int n = recovery.recoverInterrupted(owner(), jvmStart);
      if (n > 0) {
        LOG.log(
            Level.WARNING,
            "WARDEN0324W: {0} stream(s) cut by the end of the previous run recorded as FAILED ({1})",
            new Object[] {n, StreamRecovery.SERVER_INTERRUPTED});
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0322E: the interrupted streams of the previous run could not be recorded; they"
              + " are tried again at the next start",
          e);
    }
  }

  /** This server's name in pending rows. */
  String owner() {
    String o = owner;
    if (o == null) {
      o = ConfigProducer.settings().string(OWNER, null);
      if (o == null || o.isBlank()) {
        o = defaultOwner();
      }
      owner = o.length() > 300 ? o.substring(o.length() - 300) : o;
    }
    return owner;
  }

  /** The host name and the server's directory (Liberty runs a server in its output directory). */
  static String defaultOwner() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return host + ":" + System.getProperty("user.dir");
  }
}
