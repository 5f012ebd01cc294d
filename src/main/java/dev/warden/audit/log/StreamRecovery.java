package dev.warden.audit.log;

import dev.warden.call.InterruptedCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records the model calls a server's end cut off: the pending rows of the outbox ({@link
 * AuditOutbox}) that a server left behind become FAILED records (error {@value
 * #SERVER_INTERRUPTED}) when that server is gone ({@link dev.warden.cluster.ServerGone}: at its
 * next start, or once its lease expired). Each is charged its counted input ({@link
 * InterruptedCall.Charges}): its usage entry and the settlement of its budget holds commit with its
 * record.
 */
@ApplicationScoped
public class StreamRecovery {
  private static final Logger LOG = Logger.getLogger(StreamRecovery.class.getName());

  /** The error class of the record of a stream cut by the end of its server (stream outbox). */
  public static final String SERVER_INTERRUPTED = "ServerInterrupted";

  private final AuditRecordFactory records;
  private final ChainAppender appender;
  private final Iterable<InterruptedCall.Charges> charges;

  /** For the CDI proxy only. */
  protected StreamRecovery() {
    this(null, null, List.of());
  }

  /** A recovery that charges nothing (the records alone). */
  StreamRecovery(AuditRecordFactory records, ChainAppender appender) {
    this(records, appender, List.of());
  }

  @Inject
  StreamRecovery(
      AuditRecordFactory records,
      ChainAppender appender,
      @Any Instance<InterruptedCall.Charges> charges) {
    this(records, appender, (Iterable<InterruptedCall.Charges>) charges);
  }

  /** A recovery that charges each call with the first of {@code charges}. */
  StreamRecovery(
      AuditRecordFactory records,
      ChainAppender appender,
      Iterable<InterruptedCall.Charges> charges) {
    this.records = records;
    this.appender = appender;
    this.charges = charges;
  }

  private InterruptedCall.Charge charge(PendingStreamEntity p) {
    java.util.Iterator<InterruptedCall.Charges> first = charges.iterator();
    if (!first.hasNext()) {
      return null;
    }
    return first
        .next()
        .charge(
            new InterruptedCall(
                p.requestId,
                p.operation,
                p.principal,
                p.tenant,
                p.apiKeyId,
                p.requestedModel,
                p.promptId,
                p.promptVersion,
                p.startedAt,
                p.inputTokens));
  }

  /**
   * Turns the pending rows that {@code owner} left from streams started before {@code before} into
   * FAILED records (error {@value #SERVER_INTERRUPTED}), appended to the chain like any record. A
   * row whose record someone else wrote meanwhile is skipped ({@link
   * ChainAppender#appendRecovered}); a row that cannot be recovered is logged ({@code WARDEN0322E})
   * and stays, to be tried again.
   *
   * @return how many records were appended
   * @throws IllegalStateException after trying every row, if some could not be recovered
   */
  public int recoverInterrupted(String owner, Instant before) {
    int recovered = 0;
    int failed = 0;
    for (PendingStreamEntity pending : appender.pendingOwnedBefore(owner, before)) {
      try {
        InterruptedCall.Charge charge = charge(pending);
        AuditRecord r = records.interrupted(pending, charge);
        List<Object> rows = charge == null ? List.of() : charge.rows();
        if (appender.appendRecovered(
                new GroupCommit.Entry(r, AuditRecords.canonical(r), rows), pending.requestId)
            != null) {
          recovered++;
        }
      } catch (RuntimeException e) {
        failed++;
        LOG.log(
            Level.SEVERE,
            "WARDEN0322E: the interrupted stream "
                + pending.requestId
                + " could not be recorded; it is tried again",
            e);
      }
    }
    if (failed > 0) {
      throw new IllegalStateException(
          failed + " interrupted stream(s) of server " + owner + " could not be recorded");
    }
    return recovered;
  }
}
