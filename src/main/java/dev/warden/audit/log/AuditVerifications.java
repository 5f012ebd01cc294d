package dev.warden.audit.log;

import dev.warden.audit.chain.BreakReason;
import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.VerificationResult;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chain verifications run in the background ({@code POST /api/audit/verifications}): each is a row
 * of {@code audit_verification} holding its state, its progress (updated every {@value
 * AuditVerifier#PROGRESS_EVERY} records) and, once done, its result, so any server answers a poll.
 * The verification itself runs on the managed executor of the server that started it, never on the
 * request's thread. A running verification whose row has not moved for {@link #STALE} (its server
 * stopped) reads as failed.
 */
@ApplicationScoped
public class AuditVerifications {
  private static final Logger LOG = Logger.getLogger(AuditVerifications.class.getName());

  /** How long a running verification's row may stay unchanged before it reads as failed. */
  public static final Duration STALE = Duration.ofMinutes(10);

  /** What a verification's state is. */
  public enum State {
    RUNNING,
    DONE,
    FAILED
  }

  /**
   * One verification as stored.
   *
   * @param result present when {@link State#DONE}
   * @param error why it failed, when {@link State#FAILED}
   */
  public record Verification(
      String id,
      State state,
      String requestedBy,
      long recordsChecked,
      long recordsTotal,
      Instant startedAt,
      Instant finishedAt,
      Optional<Result> result,
      String error) {}

  /** The result of a verification that ran to its end, as {@link VerificationResult} says it. */
  public record Result(
      boolean ok,
      long recordsChecked,
      long checkpointsChecked,
      long purgedRangesChecked,
      long headSequence,
      Optional<ChainBreak> firstBreak) {

    /** The result of {@code r}. */
    public static Result of(VerificationResult r) {
      return new Result(
          r.intact(),
          r.recordsChecked(),
          r.checkpointsChecked(),
          r.purgedRangesChecked(),
          r.head().sequence(),
          r.firstBreak());
    }
  }

  @Inject AuditVerifier verifier;
  @Inject VerificationStore store;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService executor;

  /**
   * Starts verifying the whole chain in the background; answers at once with the verification
   * running (or failed, if the server is stopping and runs nothing more).
   */
  public Verification start(String requestedBy) {
    Objects.requireNonNull(requestedBy, "requestedBy");
    Verification started = store.create(requestedBy, verifier.recordsToCheck());
    String id = started.id();
    try {
      executor.execute(() -> run(id));
    } catch (RuntimeException e) { // rejected: the server is stopping
      store.fail(id, "the server is stopping; start the verification again");
      return find(id).orElseThrow();
    }
    return started; // as it started: a poll tells how far it has come since
  }

  /** A verification by id. */
  public Optional<Verification> find(String id) {
    return store.read(id);
  }

  private void run(String id) {
    LOG.log(Level.INFO, "WARDEN0372I: audit chain verification {0} started", id);
    try {
      VerificationResult r = verifier.verify(checked -> store.progress(id, checked));
      store.done(id, Result.of(r));
      LOG.log(
          Level.INFO,
          "WARDEN0373I: audit chain verification {0} done: {1} records, intact {2}",
          new Object[] {id, Long.toString(r.recordsChecked()), r.intact()});
    } catch (RuntimeException | Error e) { // whatever it is, the row must not stay running
      LOG.log(Level.WARNING, "WARDEN0371W: the audit chain verification " + id + " failed", e);
      store.fail(id, "the verification failed (" + e.getClass().getSimpleName() + "); try again");
    }
  }

  /** The row as the caller sees it: a running row that stopped moving has failed. */
  static Verification view(AuditVerificationEntity v, Instant now) {
    State state = State.valueOf(v.state);
    String error = v.error;
    Instant finished = v.finishedAt;
    if (state == State.RUNNING && v.updatedAt.plus(STALE).isBefore(now)) {
      state = State.FAILED;
      error = "the server running the verification stopped; start it again";
      finished = v.updatedAt;
    }
    Optional<Result> result = Optional.empty();
    if (state == State.DONE) {
      ChainBreak b =
          v.breakSequence == null
              ? null
              : new ChainBreak(
                  v.breakChain == null ? 1 : v.breakChain,
                  v.breakSequence,
                  v.breakRecordId,
                  BreakReason.valueOf(v.breakReason),
                  v.breakDetail);
      result =
          Optional.of(
              new Result(
                  Boolean.TRUE.equals(v.ok),
                  v.recordsChecked,
                  v.checkpointsChecked == null ? 0 : v.checkpointsChecked,
                  v.purgedRangesChecked == null ? 0 : v.purgedRangesChecked,
                  v.headSequence == null ? 0 : v.headSequence,
                  Optional.ofNullable(b)));
    }
    return new Verification(
        v.id,
        state,
        v.requestedBy,
        v.recordsChecked,
        v.recordsTotal,
        v.startedAt,
        finished,
        result,
        error);
  }
}
