package dev.warden.audit.log;

import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.PurgedRange;
import dev.warden.audit.chain.VerificationResult;
import dev.warden.call.EntryPoint;
import dev.warden.config.ConfigProducer;
import dev.warden.crypto.SubjectPseudonyms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Retention of the audit log: legal holds, and the purge of expired records.
 *
 * <p><b>Legal holds</b> on a tenant or a data subject are stored in {@code audit_legal_hold} with
 * who placed (and lifted) them, when and why, and each placement and lift is itself an audit record
 * ({@value #HOLD_PLACE}, {@value #HOLD_LIFT}; the reason encrypted under the tenant's key). While
 * active, a hold exempts every record of its tenant or subject from purges.
 *
 * <p><b>Purge</b> ({@link #purge}): first verifies the whole chain and refuses to purge a broken
 * one (that would destroy the evidence); then, in batches under the chain-head lock, deletes the
 * records older than their tenant's retention ({@link RetentionPolicy}) that no active hold covers,
 * storing a MACed {@link PurgedRange} for each run of consecutive deleted records (the checkpoint
 * at the purge boundary, which lets the remaining chain verify) and deleting their rows of the read
 * index; then deletes the background verifications older than {@value #VERIFICATION_KEEP}; then
 * appends the purge's own record ({@value #PURGE}) and a checkpoint at the new head. {@link
 * AuditScheduler} runs it periodically.
 */
@ApplicationScoped
public class AuditRetention {
  private static final Logger LOG = Logger.getLogger(AuditRetention.class.getName());

  /** Records read per purge batch (one chain-head lock each). */
  public static final String BATCH_SIZE = "warden.audit.purge.batch-size";

  /**
   * How long a background verification's row (its progress and result, for polls) is kept; the
   * purge deletes older ones. Zero keeps them all.
   */
  public static final String VERIFICATION_KEEP = "warden.audit.verification.keep";

  /** The operation of the records of purges. */
  public static final String PURGE = "audit.purge";

  /** The operation of the records of placed legal holds. */
  public static final String HOLD_PLACE = "audit.hold.place";

  /** The operation of the records of lifted legal holds. */
  public static final String HOLD_LIFT = "audit.hold.lift";

  @Inject AuditWriter writer;
  @Inject AuditVerifier verifier;
  @Inject AuditCheckpoints checkpoints;
  @Inject SubjectPseudonyms pseudonyms;
  @Inject RetentionStore store;
  @Inject VerificationStore verifications;
  @Inject Clock clock;

  private volatile RetentionPolicy policy;

  /** The configured policy (read once). */
  public RetentionPolicy policy() {
    RetentionPolicy p = policy;
    if (p == null) {
      p = RetentionPolicy.fromSettings(ConfigProducer.settings());
      policy = p;
    }
    return p;
  }

  /**
   * Places a legal hold on every record of {@code tenant}, and records it.
   *
   * @throws NullPointerException if an argument is null
   * @throws AuditWriteException if its audit record cannot be written (the hold stays)
   */
  public LegalHold holdTenant(String tenant, String reason, String placedBy) {
    return place(EntryPoint.CDI, LegalHold.Scope.TENANT, tenant, null, reason, placedBy).hold();
  }

  /**
   * Places a legal hold on every record of data subject {@code subject} of {@code tenant} (stored
   * pseudonymised), and records it.
   *
   * @throws NullPointerException if an argument is null
   * @throws AuditWriteException if its audit record cannot be written (the hold stays)
   */
  public LegalHold holdSubject(String tenant, String subject, String reason, String placedBy) {
    return place(
            EntryPoint.CDI,
            LegalHold.Scope.SUBJECT,
            tenant,
            Objects.requireNonNull(subject, "subject"),
            reason,
            placedBy)
        .hold();
  }

  /** A hold placed or lifted, and the audit record of that. */
  public record Recorded(LegalHold hold, String recordId) {}

  /**
   * Places a legal hold asked through {@code entryPoint}: on every record of {@code tenant} ({@link
   * LegalHold.Scope#TENANT}, {@code subject} null) or of its data subject {@code subject} (stored
   * pseudonymised), and records it ({@value #HOLD_PLACE}).
   *
   * @throws NullPointerException if an argument but {@code subject} is null, or {@code subject} is
   *     null for a subject hold
   * @throws IllegalArgumentException if a tenant hold names a subject
   * @throws AuditWriteException if its audit record cannot be written (the hold stays)
   */
  public Recorded place(
      EntryPoint entryPoint,
      LegalHold.Scope scope,
      String tenant,
      String subject,
      String reason,
      String placedBy) {
    Objects.requireNonNull(entryPoint, "entryPoint");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(placedBy, "placedBy");
    String pseudonym = null;
    if (scope == LegalHold.Scope.SUBJECT) {
      pseudonym = pseudonyms.pseudonym(tenant, Objects.requireNonNull(subject, "subject"));
    } else if (subject != null) {
      throw new IllegalArgumentException("a tenant hold names no subject");
    }
    LegalHold hold = store.place(scope, tenant, pseudonym, reason, placedBy, now());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("hold_id", hold.holdId());
    details.put("scope", scope.name());
    details.put("placed_by", placedBy);
    details.put("reason", reason);
    AuditRecord r =
        writer.appendOperation(HOLD_PLACE, entryPoint.name(), tenant, pseudonym, details);
    LOG.log(
        Level.INFO,
        "WARDEN0340I: legal hold {0} placed ({1})",
        new Object[] {hold.holdId(), scope});
    return new Recorded(hold, r.recordId);
  }

  /**
   * Lifts an active legal hold, and records it. Empty if there is no active hold with that id.
   *
   * @throws AuditWriteException if its audit record cannot be written (the hold is lifted)
   */
  public Optional<LegalHold> lift(String holdId, String reason, String liftedBy) {
    return lift(EntryPoint.CDI, holdId, reason, liftedBy).map(Recorded::hold);
  }

  /**
   * {@link #lift(String, String, String)} asked through {@code entryPoint}, with the lift's audit
   * record ({@value #HOLD_LIFT}).
   *
   * @throws AuditWriteException if its audit record cannot be written (the hold is lifted)
   */
  public Optional<Recorded> lift(
      EntryPoint entryPoint, String holdId, String reason, String liftedBy) {
    Objects.requireNonNull(entryPoint, "entryPoint");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(liftedBy, "liftedBy");
    LegalHold hold = store.lift(holdId, liftedBy, reason, now());
    if (hold == null) {
      return Optional.empty();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("hold_id", hold.holdId());
    details.put("scope", hold.scope().name());
    details.put("lifted_by", liftedBy);
    details.put("reason", reason);
    AuditRecord r =
        writer.appendOperation(
            HOLD_LIFT, entryPoint.name(), hold.tenant(), hold.dataSubject(), details);
    LOG.log(Level.INFO, "WARDEN0341I: legal hold {0} lifted", hold.holdId());
    return Optional.of(new Recorded(hold, r.recordId));
  }

  /** A hold by id, active or lifted. */
  public Optional<LegalHold> hold(String holdId) {
    return holdId == null ? Optional.empty() : Optional.ofNullable(store.hold(holdId));
  }

  /** When the last purge (on any server) recorded itself; empty if none is in the log. */
  public Optional<Instant> lastPurge() {
    return Optional.ofNullable(store.lastPurge());
  }

  /** The holds not lifted, oldest first. */
  public List<LegalHold> activeHolds() {
    return store.holds(true);
  }

  /** Every hold ever placed, lifted ones included, oldest first. */
  public List<LegalHold> allHolds() {
    return store.holds(false);
  }

  /** What a purge did. */
  public record PurgeResult(
      Instant asOf,
      long deleted,
      List<PurgedRange> ranges,
      Optional<String> recordId,
      Optional<ChainBreak> refusedBecause) {

    /** Whether it ran (the chain was intact). */
    public boolean ran() {
      return refusedBecause.isEmpty();
    }
  }

  /** Purges the records expired now (see the class comment). */
  public PurgeResult purge() {
    return purge(now(), "CDI");
  }

  /**
   * Purges the records expired at {@code asOf} (a later instant purges what will have expired by
   * then; tests use it).
   *
   * @throws AuditWriteException if the purge's own record cannot be written (the records are gone,
   *     the purged ranges stay and the chain still verifies)
   */
  public PurgeResult purge(Instant asOf, String entryPoint) {
    Instant at = asOf.truncatedTo(ChronoUnit.MICROS);
    VerificationResult before = verifier.verify();
    if (!before.intact()) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0343E: the audit purge did not run: the chain is broken ({0}); purging would"
              + " destroy the evidence",
          before.firstBreak().orElseThrow());
      return new PurgeResult(at, 0, List.of(), Optional.empty(), before.firstBreak());
    }
    RetentionPolicy p = policy();
    int batchSize = ConfigProducer.settings().integer(BATCH_SIZE, 500, 1);
    List<PurgedRange> ranges = new ArrayList<>();
    long deleted = 0;
    for (int chain : store.chains()) {
      long after = 0;
      RetentionStore.Batch batch;
      do {
        batch = store.purgeBatch(chain, p, at, after, batchSize);
        deleted += batch.deleted();
        ranges.addAll(batch.ranges());
        after = batch.lastScanned();
      } while (batch.more());
    }
    Duration keep = ConfigProducer.settings().duration(VERIFICATION_KEEP, Duration.ofDays(90));
    int verificationsDeleted =
        keep.isZero() || keep.isNegative() ? 0 : verifications.forgetStartedBefore(at.minus(keep));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("as_of", at.toString());
    details.put("deleted", deleted);
    details.put("verifications_deleted", verificationsDeleted);
    details.put("default_retention", p.defaultRetention().toString());
    Map<String, String> tenants = new LinkedHashMap<>();
    p.tenants().forEach((t, d) -> tenants.put(t, d.toString()));
    details.put("tenant_retention", tenants);
    List<Map<String, Long>> runs = new ArrayList<>();
    for (PurgedRange r : ranges) {
      Map<String, Long> run = new LinkedHashMap<>();
      run.put("chain", (long) r.chain());
      run.put("from", r.from());
      run.put("to", r.to());
      runs.add(run);
    }
    details.put("ranges", runs);
    AuditRecord record =
        writer.appendOperation(PURGE, entryPoint, AuditWriter.TENANT, null, details);
    checkpoints.checkpoint();
    LOG.log(
        Level.INFO,
        "WARDEN0342I: audit purge as of {0}: {1} records deleted in {2} ranges (purge record {3})",
        new Object[] {at, deleted, ranges.size(), record.recordId});
    return new PurgeResult(
        at, deleted, List.copyOf(ranges), Optional.of(record.recordId), Optional.empty());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
