package dev.warden.cost;

import dev.warden.call.CallCompanion;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.Outcome;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The usage ledger: every priced call that used tokens ({@link CallFinished#cost()} set) becomes
 * one {@link UsageEntry}, committed with the call's audit record in one transaction ({@link
 * CallCompanion}): a call has both or neither, and a failure to write them fails the call as a
 * failed audit write does. Charges outside a call (background responses, batches) are written on
 * their own ({@link #record}); a failure there is logged ({@code WARDEN0640E}). Reports aggregate
 * the ledger; the budgets, which hold the money, are settled separately.
 */
@ApplicationScoped
public class UsageLedger implements CallCompanion {

  private static final Logger LOG = Logger.getLogger(UsageLedger.class.getName());

  /** The dimensions a report can group by, and their entity attributes. */
  public static final Map<String, String> DIMENSIONS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("day", "day");
    d.put("tenant", "tenant");
    d.put("principal", "principal");
    d.put("api_key", "apiKeyId");
    d.put("model", "model");
    d.put("prompt_id", "promptId");
    d.put("prompt_version", "promptVersion");
    d.put("operation", "operation");
    DIMENSIONS = Map.copyOf(d);
  }

  /** The order dimensions appear in, in reports. */
  public static final List<String> ORDER =
      List.of(
          "day",
          "tenant",
          "principal",
          "api_key",
          "model",
          "prompt_id",
          "prompt_version",
          "operation");

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject UsageWriter writer;

  /**
   * The ledger entry of a finished call, persisted by the audit log with the call's record in one
   * transaction; {@code null} for a call not priced, or that used nothing (refused, failed before
   * the upstream answered).
   */
  @Override
  public UsageEntry companionOf(CallFinished call) {
    if (call.cost() == null
        || (call.cost().signum() == 0 && (call.usage() == null || call.usage().total() == 0))) {
      return null;
    }
    return entry(call);
  }

  static UsageEntry entry(CallFinished call) {
    return entry(
        call.requestId(),
        call.startedAt(),
        call.caller(),
        call.answeredBy() != null
            ? call.answeredBy()
            : call.requestedModel() == null ? "unknown" : call.requestedModel(),
        call.promptId(),
        call.promptVersion(),
        call.operation(),
        call.outcome(),
        call.batched(),
        call.usage(),
        call.cost());
  }

  /** A ledger entry; {@code model} is the one that answered. */
  static UsageEntry entry(
      String requestId,
      Instant startedAt,
      Caller caller,
      String model,
      String promptId,
      String promptVersion,
      String operation,
      Outcome outcome,
      boolean batch,
      TokenUsage usage,
      BigDecimal cost) {
    TokenUsage u = usage == null ? TokenUsage.NONE : usage;
    UsageEntry e = new UsageEntry();
    e.id = UUID.randomUUID().toString();
    e.requestId = requestId;
    e.occurredAt = startedAt;
    e.day = LocalDate.ofInstant(startedAt, ZoneOffset.UTC);
    e.principal = caller.principal();
    e.tenant = caller.tenant();
    e.apiKeyId = caller.apiKeyId();
    e.model = model;
    e.promptId = promptId;
    e.promptVersion = promptVersion;
    e.operation = operation;
    e.outcome = outcome == null ? "UNKNOWN" : outcome.name();
    e.batch = batch;
    e.inputTokens = u.input();
    e.cachedTokens = u.cachedInput();
    e.outputTokens = u.output();
    e.reasoningTokens = u.reasoning();
    e.cost = cost;
    return e;
  }

  /** Writes {@code entry}; a failure is logged ({@code WARDEN0640E}), never thrown. */
  void record(UsageEntry entry) {
    try {
      writer.write(entry);
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0640E: the usage of request " + entry.requestId + " could not be recorded",
          e);
    }
  }

  /**
   * The usage from {@code from} to {@code to} (UTC days, inclusive), grouped by {@code groupBy}
   * (keys of {@link #DIMENSIONS}, in {@link #ORDER}), filtered by the non-null values of {@code
   * filters} (same keys). Rows are ordered by their group values.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<UsageRow> report(
      LocalDate from, LocalDate to, List<String> groupBy, Map<String, String> filters) {
    List<String> dims = ORDER.stream().filter(groupBy::contains).toList();
    StringBuilder select = new StringBuilder("select ");
    for (String d : dims) {
      select.append("u.").append(DIMENSIONS.get(d)).append(", ");
    }
    select.append(
        "count(u), sum(u.inputTokens), sum(u.cachedTokens), sum(u.outputTokens),"
            + " sum(u.reasoningTokens), sum(u.cost) from UsageEntry u where u.day >= :from and"
            + " u.day <= :to");
    List<String> filtered = ORDER.stream().filter(k -> filters.get(k) != null).toList();
    for (String f : filtered) {
      select.append(" and u.").append(DIMENSIONS.get(f)).append(" = :").append(f);
    }
    if (!dims.isEmpty()) {
      String attrs = String.join(", ", dims.stream().map(d -> "u." + DIMENSIONS.get(d)).toList());
      select.append(" group by ").append(attrs).append(" order by ").append(attrs);
    }
    TypedQuery<Object[]> q = em.createQuery(select.toString(), Object[].class);
    q.setParameter("from", from);
    q.setParameter("to", to);
    for (String f : filtered) {
      q.setParameter(f, filters.get(f));
    }
    List<UsageRow> rows = new ArrayList<>();
    for (Object[] r : q.getResultList()) {
      Map<String, String> group = new LinkedHashMap<>();
      for (int i = 0; i < dims.size(); i++) {
        group.put(dims.get(i), r[i] == null ? "" : r[i].toString());
      }
      int n = dims.size();
      long requests = number(r[n]);
      if (requests == 0) {
        continue;
      }
      rows.add(
          new UsageRow(
              group,
              requests,
              number(r[n + 1]),
              number(r[n + 2]),
              number(r[n + 3]),
              number(r[n + 4]),
              r[n + 5] == null ? BigDecimal.ZERO : (BigDecimal) r[n + 5]));
    }
    return rows;
  }

  /** The ledger entries of one request (for tests and support). */
  @Transactional(TxType.REQUIRES_NEW)
  public List<UsageEntry> byRequest(String requestId) {
    return em.createQuery("select u from UsageEntry u where u.requestId = :r", UsageEntry.class)
        .setParameter("r", requestId)
        .getResultList();
  }

  private static long number(Object o) {
    return o == null ? 0 : ((Number) o).longValue();
  }
}
