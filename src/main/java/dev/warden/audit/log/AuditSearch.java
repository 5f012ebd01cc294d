package dev.warden.audit.log;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Searches audit records by their metadata (never their encrypted content), newest first. The
 * indexes are migration V6: each filter with {@code created_at}.
 */
@ApplicationScoped
public class AuditSearch {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  /**
   * What to look for: records created in {@code [from, to)}, and every non-null filter.
   *
   * @param model the model requested, or the model or snapshot that answered
   * @param promptVersion the version as written ({@code 1.2.0}, matching {@code 1.2.0+sha256.…}) or
   *     exactly as stored
   */
  public record Query(
      Instant from,
      Instant to,
      String principal,
      String tenant,
      String model,
      String outcome,
      String promptId,
      String promptVersion,
      String operation,
      String entryPoint,
      String requestId,
      String piiType,
      String guardAction,
      boolean oldestFirst) {
    public Query {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    /** Without the PII type and guard action filters, newest first. */
    public Query(
        Instant from,
        Instant to,
        String principal,
        String tenant,
        String model,
        String outcome,
        String promptId,
        String promptVersion,
        String operation,
        String entryPoint,
        String requestId) {
      this(
          from,
          to,
          principal,
          tenant,
          model,
          outcome,
          promptId,
          promptVersion,
          operation,
          entryPoint,
          requestId,
          null,
          null,
          false);
    }
  }

  /**
   * The records that match, newest first (time, then sequence; oldest first if the query says so),
   * from {@code offset}.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<AuditRecord> search(Query q, int offset, int limit) {
    StringBuilder jpql =
        new StringBuilder(
            "select r from AuditRecord r where r.createdAt >= :from and r.createdAt < :to");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("from", q.from());
    params.put("to", q.to());
    equal(jpql, params, "principal", q.principal());
    equal(jpql, params, "tenant", q.tenant());
    equal(jpql, params, "outcome", q.outcome());
    equal(jpql, params, "promptId", q.promptId());
    equal(jpql, params, "operation", q.operation());
    equal(jpql, params, "entryPoint", q.entryPoint());
    equal(jpql, params, "requestId", q.requestId());
    equal(jpql, params, "guardAction", q.guardAction());
    if (q.piiType() != null) {
      // pii_found is "TYPE=count,TYPE=count" in type order (PiiCounts.format)
      jpql.append(
          " and (r.piiFound like :piiFirst escape '!' or r.piiFound like :piiLater escape '!')");
      params.put("piiFirst", likeLiteral(q.piiType()) + "=%");
      params.put("piiLater", "%," + likeLiteral(q.piiType()) + "=%");
    }
    if (q.model() != null) {
      jpql.append(
          " and (r.requestedModel = :model or r.answeredBy = :model or r.modelSnapshot = :model)");
      params.put("model", q.model());
    }
    if (q.promptVersion() != null) {
      jpql.append(" and (r.promptVersion = :pv or r.promptVersion like :pvBuild escape '!')");
      params.put("pv", q.promptVersion());
      params.put("pvBuild", likeLiteral(q.promptVersion()) + "+%");
    }
    jpql.append(
        q.oldestFirst()
            ? " order by r.createdAt asc, r.chain asc, r.sequence asc"
            : " order by r.createdAt desc, r.chain desc, r.sequence desc");
    TypedQuery<AuditRecord> query = em.createQuery(jpql.toString(), AuditRecord.class);
    params.forEach(query::setParameter);
    List<AuditRecord> found =
        query
            .setFirstResult(offset)
            .setMaxResults(limit)
            .setHint("org.hibernate.readOnly", true)
            .getResultList();
    List<AuditRecord> out = new ArrayList<>(found);
    out.forEach(em::detach);
    return out;
  }

  private static void equal(
      StringBuilder jpql, Map<String, Object> params, String field, String v) {
    if (v != null) {
      jpql.append(" and r.").append(field).append(" = :").append(field);
      params.put(field, v);
    }
  }

  /** {@code s} as a LIKE literal with escape character {@code !}. */
  static String likeLiteral(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
