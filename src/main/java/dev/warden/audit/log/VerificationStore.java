package dev.warden.audit.log;

import dev.warden.audit.chain.ChainBreak;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/** The transactions of {@link AuditVerifications}: one row of {@code audit_verification} each. */
@ApplicationScoped
public class VerificationStore {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject Clock clock;

  /** Deletes the verifications started before {@code cutoff}; returns how many. */
  @Transactional(TxType.REQUIRES_NEW)
  public int forgetStartedBefore(Instant cutoff) {
    return em.createQuery("delete from AuditVerification v where v.startedAt < :cutoff")
        .setParameter("cutoff", cutoff)
        .executeUpdate();
  }

  @Transactional(TxType.REQUIRES_NEW)
  public AuditVerifications.Verification create(String requestedBy, long total) {
    AuditVerificationEntity v = new AuditVerificationEntity();
    v.id = UUID.randomUUID().toString();
    v.state = AuditVerifications.State.RUNNING.name();
    v.requestedBy = requestedBy;
    v.recordsTotal = total;
    v.startedAt = now();
    v.updatedAt = v.startedAt;
    em.persist(v);
    return AuditVerifications.view(v, v.startedAt);
  }

  @Transactional(TxType.REQUIRES_NEW)
  public void progress(String id, long checked) {
    em.createQuery(
            "update AuditVerification v set v.recordsChecked = :checked, v.updatedAt = :now,"
                + " v.recordsTotal = case when v.recordsTotal < :checked then :checked"
                + " else v.recordsTotal end where v.id = :id and v.state = 'RUNNING'")
        .setParameter("checked", checked)
        .setParameter("now", now())
        .setParameter("id", id)
        .executeUpdate();
  }

  @Transactional(TxType.REQUIRES_NEW)
  public void done(String id, AuditVerifications.Result r) {
    ChainBreak b = r.firstBreak().orElse(null);
    Instant now = now();
    // one update statement: it fails loudly without a transaction, never silently
    em.createQuery(
            "update AuditVerification v set v.state = 'DONE', v.recordsChecked = :checked,"
                + " v.recordsTotal = case when v.recordsTotal < :checked then :checked"
                + " else v.recordsTotal end, v.finishedAt = :now, v.updatedAt = :now,"
                + " v.ok = :ok, v.checkpointsChecked = :cps, v.purgedRangesChecked = :ranges,"
                + " v.headSequence = :head, v.breakChain = :bchain, v.breakSequence = :bseq, v.breakRecordId = :brec,"
                + " v.breakReason = :breason, v.breakDetail = :bdetail where v.id = :id")
        .setParameter("checked", r.recordsChecked())
        .setParameter("now", now)
        .setParameter("ok", r.ok())
        .setParameter("cps", r.checkpointsChecked())
        .setParameter("ranges", r.purgedRangesChecked())
        .setParameter("head", r.headSequence())
        .setParameter("bchain", b == null ? null : (short) b.chain())
        .setParameter("bseq", b == null ? null : b.sequence())
        .setParameter("brec", b == null ? null : b.recordId().orElse(null))
        .setParameter("breason", b == null ? null : b.reason().name())
        .setParameter("bdetail", b == null ? null : truncate(b.detail()))
        .setParameter("id", id)
        .executeUpdate();
  }

  @Transactional(TxType.REQUIRES_NEW)
  public void fail(String id, String error) {
    Instant now = now();
    em.createQuery(
            "update AuditVerification v set v.state = 'FAILED', v.finishedAt = :now,"
                + " v.updatedAt = :now, v.error = :error where v.id = :id")
        .setParameter("now", now)
        .setParameter("error", truncate(error))
        .setParameter("id", id)
        .executeUpdate();
  }

  @Transactional(TxType.REQUIRES_NEW)
  public Optional<AuditVerifications.Verification> read(String id) {
    AuditVerificationEntity v = id == null ? null : em.find(AuditVerificationEntity.class, id);
    return Optional.ofNullable(v).map(row -> AuditVerifications.view(row, now()));
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
