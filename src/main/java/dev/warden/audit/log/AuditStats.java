package dev.warden.audit.log;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Counts over the audit log's metadata for the usage reports (never its encrypted content): refused
 * calls per UTC day and error type, and the latency percentiles of answered calls per model. Both
 * read the records created in a time range (the {@code created_at} index), optionally of one
 * tenant.
 */
@ApplicationScoped
public class AuditStats {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  /** For CDI. */
  public AuditStats() {}

  /** Reading through {@code em}, in the caller's transaction (outside a container). */
  AuditStats(EntityManager em) {
    this.em = em;
  }

  /** How many calls of one error type failed on one UTC day. */
  public record ErrorCount(LocalDate day, String errorType, long count) {}

  /** The latency of a model's answered calls: count and percentiles in milliseconds. */
  public record Latency(String model, long count, double p50, double p95, double p99) {}

  /**
   * The failed records created in {@code [from, to)} whose error type is one of {@code errorTypes}
   * (simple class names, as recorded), counted per UTC day and type, by day then type.
   *
   * @param tenant one tenant's records, or null for every tenant's
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<ErrorCount> errors(
      Instant from, Instant to, Collection<String> errorTypes, String tenant) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (errorTypes.isEmpty()) {
      return List.of();
    }
    TypedQuery<Object[]> q =
        em.createQuery(
            "select cast(r.createdAt as LocalDate), r.errorType, count(r) from AuditRecord r"
                + " where r.createdAt >= :from and r.createdAt < :to and r.errorType in :types"
                + (tenant == null ? "" : " and r.tenant = :tenant")
                + " group by cast(r.createdAt as LocalDate), r.errorType"
                + " order by cast(r.createdAt as LocalDate), r.errorType",
            Object[].class);
    q.setParameter("from", from).setParameter("to", to).setParameter("types", errorTypes);
    if (tenant != null) {
      q.setParameter("tenant", tenant);
    }
    return q.getResultList().stream()
        .map(row -> new ErrorCount((LocalDate) row[0], (String) row[1], (Long) row[2]))
        .toList();
  }

  /**
   * The latency of the calls answered ({@code SUCCEEDED}) in {@code [from, to)} per model (the
   * model that answered, else the one requested): count, median, 95th and 99th percentile
   * (interpolated), by model.
   *
   * @param tenant one tenant's records, or null for every tenant's
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Latency> latency(Instant from, Instant to, String tenant) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    TypedQuery<Object[]> q =
        em.createQuery(
            "select coalesce(r.answeredBy, r.requestedModel), count(r),"
                + " percentile_cont(0.5) within group (order by cast(r.latencyMs as Double)),"
                + " percentile_cont(0.95) within group (order by cast(r.latencyMs as Double)),"
                + " percentile_cont(0.99) within group (order by cast(r.latencyMs as Double))"
                + " from AuditRecord r where r.createdAt >= :from and r.createdAt < :to"
                + " and r.requestedModel is not null and r.outcome = 'SUCCEEDED'"
                + (tenant == null ? "" : " and r.tenant = :tenant")
                + " group by coalesce(r.answeredBy, r.requestedModel)"
                + " order by coalesce(r.answeredBy, r.requestedModel)",
            Object[].class);
    q.setParameter("from", from).setParameter("to", to);
    if (tenant != null) {
      q.setParameter("tenant", tenant);
    }
    return q.getResultList().stream()
        .map(
            row ->
                new Latency(
                    (String) row[0],
                    (Long) row[1],
                    ((Number) row[2]).doubleValue(),
                    ((Number) row[3]).doubleValue(),
                    ((Number) row[4]).doubleValue()))
        .toList();
  }
}
