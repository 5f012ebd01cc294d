package dev.warden.gateway.api;

import dev.warden.audit.log.AuditStats;
import dev.warden.call.refusal.BatchLineRefusal;
import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.call.refusal.ContextWindowRefusal;
import dev.warden.call.refusal.ModelNotAllowedRefusal;
import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.PromptInjectionRefusal;
import dev.warden.call.refusal.RateLimitRefusal;
import dev.warden.call.refusal.RedactionFailedRefusal;
import dev.warden.call.refusal.UninspectableContentRefusal;
import dev.warden.config.Jsonp;
import dev.warden.cost.BudgetPolicy;
import dev.warden.cost.BudgetStore;
import dev.warden.cost.Budgets;
import dev.warden.cost.Price;
import dev.warden.cost.PriceTable;
import dev.warden.cost.UsageLedger;
import dev.warden.cost.UsageRow;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.ApiKeys;
import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Usage and spend reports ({@code /api/usage}), as JSON or CSV ({@code Accept: text/csv} or {@code
 * ?format=csv}). Errors are problem JSON. An {@code auditor-all-tenants} or an {@code admin} sees
 * everybody's usage and budgets; an {@code auditor} those of its own tenant (asking for another
 * tenant's is refused); an {@code ai-user} only its own (its principal's rows; asking for another
 * principal's is refused).
 */
@Path("/api/usage")
@Tag(name = "Usage and cost", description = "Usage, spend, budgets and the price table.")
@RequestScoped
public class UsageResource {

  static final String CSV = "text/csv";
  static final int MAX_DAYS = 366;

  @Inject UsageLedger ledger;
  @Inject Budgets budgets;
  @Inject PriceTable prices;
  @Inject Clock clock;
  @Inject ApiKeys apiKeys;
  @Inject AuditStats stats;

  @Context HttpHeaders headers;
  @Context UriInfo uri;
  @Context SecurityContext security;

  /**
   * The usage from {@code from} to {@code to} (UTC days, inclusive; default: the last 30 days),
   * grouped by {@code group_by} (comma-separated: day, tenant, principal, api_key, model,
   * prompt_id, prompt_version, operation; default {@code principal,model}), filtered by any of
   * those dimensions given as query parameters.
   */
  @Operation(
      summary = "Usage report",
      description =
          "Requests, tokens and cost from the usage ledger between from and to (UTC days, inclusive; default the last 30 days), grouped by group_by (day, tenant, principal, api_key, model, prompt_id, prompt_version, operation) and filtered by any of those as query parameters. JSON, or CSV with Accept: text/csv or format=csv. Errors are problem JSON. Role auditor-all-tenants or admin: every row; auditor: its own tenant's rows (another tenant: 403); ai-user: its own rows.")
  @GET
  @Produces({MediaType.APPLICATION_JSON, CSV})
  @Allowed({Role.AUDITOR, Role.AUDITOR_ALL_TENANTS, Role.AI_USER, Role.ADMIN})
  public Response usage(
      @QueryParam("from") String fromParam,
      @QueryParam("to") String toParam,
      @QueryParam("group_by") String groupByParam,
      @QueryParam("format") String format) {
    LocalDate[] days = days(fromParam, toParam);
    LocalDate from = days[0];
    LocalDate to = days[1];
    List<String> groupBy =
        groupByParam == null || groupByParam.isBlank()
            ? List.of("principal", "model")
            : Arrays.stream(groupByParam.split(",")).map(String::trim).toList();
    for (String g : groupBy) {
      if (!UsageLedger.DIMENSIONS.containsKey(g)) {
        throw ProblemException.badParameter(
            "group_by", "unknown dimension '" + g + "'; use " + UsageLedger.ORDER);
      }
    }
    Map<String, String> filters = new HashMap<>();
    for (String d : UsageLedger.ORDER) {
      String v = uri.getQueryParameters().getFirst(d);
      if (v != null && !v.isBlank()) {
        filters.put(d, v);
      }
    }
    Identity me = AccessFilter.identityOf(security);
    // an admin administers every tenant's keys and budgets: it reads every tenant's usage
    if (!me.has(Role.ADMIN)) {
      if (me.audits()) {
        // a tenant-scoped auditor: its tenant's rows only, enforced in the ledger's query
        me.auditedTenant()
            .ifPresent(
                own -> {
                  String asked = filters.get("tenant");
                  if (asked != null && !asked.equals(own)) {
                    throw new ProblemException(
                        403,
                        "permission_denied",
                        "You audit the tenant "
                            + own
                            + " only (role auditor-all-tenants: every one)");
                  }
                  filters.put("tenant", own);
                });
      } else {
        String asked = filters.get("principal");
        if (asked != null && !asked.equals(me.principal())) {
          throw new ProblemException(403, "permission_denied", "You can only read your own usage");
        }
        filters.put("principal", me.principal());
      }
    }
    List<UsageRow> rows = ledger.report(from, to, groupBy, filters);
    if (wantsCsv(format)) {
      return Response.ok(csv(rows, groupBy), CSV + "; charset=utf-8")
          .header(
              "Content-Disposition", "attachment; filename=\"usage-" + from + "-" + to + ".csv\"")
          .build();
    }
    JsonArrayBuilder array = Jsonp.createArrayBuilder();
    BigDecimal total = BigDecimal.ZERO;
    long requests = 0;
    for (UsageRow row : rows) {
      array.add(json(row));
      total = total.add(row.cost());
      requests += row.requests();
    }
    JsonObject body =
        Jsonp.createObjectBuilder()
            .add("from", from.toString())
            .add("to", to.toString())
            .add("currency", "USD")
            .add(
                "group_by",
                Jsonp.createArrayBuilder(
                    UsageLedger.ORDER.stream().filter(groupBy::contains).toList()))
            .add("rows", array)
            .add("total_requests", requests)
            .add("total_cost", plain(total))
            .build();
    return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** The kind of each refusal Warden records, by the error type its audit records carry. */
  static final Map<String, String> REFUSAL_KINDS =
      Map.ofEntries(
          Map.entry(BudgetRefusal.class.getSimpleName(), "budget"),
          Map.entry(RateLimitRefusal.class.getSimpleName(), "rate_limit"),
          Map.entry(PiiBlockedRefusal.class.getSimpleName(), "pii"),
          Map.entry(PromptInjectionRefusal.class.getSimpleName(), "guard"),
          Map.entry(ContextWindowRefusal.class.getSimpleName(), "other"),
          Map.entry(ModelNotAllowedRefusal.class.getSimpleName(), "other"),
          Map.entry(OutputValidationRefusal.class.getSimpleName(), "other"),
          Map.entry(RedactionFailedRefusal.class.getSimpleName(), "other"),
          Map.entry(UninspectableContentRefusal.class.getSimpleName(), "other"),
          Map.entry(BatchLineRefusal.class.getSimpleName(), "other"));

  /** The order of the kinds within a day. */
  static final List<String> KIND_ORDER = List.of("budget", "rate_limit", "pii", "guard", "other");

  /** Warden's refusals per UTC day and kind, from the audit log. */
  @Operation(
      summary = "Refusals per day",
      description =
          "The calls Warden refused itself, per UTC day between from and to (inclusive; default"
              + " the last 30 days, at most 366) and kind: budget (a budget spent), rate_limit,"
              + " pii (a PII type whose action is block), guard (injection screening blocked),"
              + " other (model not allowed, context window, output validation, redaction"
              + " failed, uninspectable content, a bad batch line). Counted from the audit"
              + " records' error types; days and kinds without refusals are left out. Role"
              + " auditor-all-tenants or admin (tenant= one tenant) or auditor (its own tenant;"
              + " another: 403).")
  @GET
  @Path("/refusals")
  @Produces(MediaType.APPLICATION_JSON)
  @Allowed({Role.AUDITOR, Role.AUDITOR_ALL_TENANTS, Role.ADMIN})
  public JsonObject refusals(
      @QueryParam("from") String fromParam,
      @QueryParam("to") String toParam,
      @QueryParam("tenant") String tenant) {
    LocalDate[] days = days(fromParam, toParam);
    String of = auditedTenant(tenant);
    Map<LocalDate, Map<String, Long>> counts = new TreeMap<>();
    for (AuditStats.ErrorCount c :
        stats.errors(start(days[0]), start(days[1].plusDays(1)), REFUSAL_KINDS.keySet(), of)) {
      counts
          .computeIfAbsent(c.day(), d -> new HashMap<>())
          .merge(REFUSAL_KINDS.get(c.errorType()), c.count(), Long::sum);
    }
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
    counts.forEach(
        (day, kinds) ->
            KIND_ORDER.stream()
                .filter(kinds::containsKey)
                .forEach(
                    k ->
                        data.add(
                            Jsonp.createObjectBuilder()
                                .add("day", day.toString())
                                .add("kind", k)
                                .add("count", kinds.get(k)))));
    return Jsonp.createObjectBuilder()
        .add("from", days[0].toString())
        .add("to", days[1].toString())
        .add("data", data)
        .build();
  }

  /** The latency of answered calls per model, from the audit log. */
  @Operation(
      summary = "Latency per model",
      description =
          "The latency of the calls answered (outcome SUCCEEDED) between from and to (UTC days,"
              + " inclusive; default the last 30 days, at most 366) per model (the model that"
              + " answered): count, p50_ms, p95_ms, p99_ms (interpolated percentiles of the"
              + " whole call as Warden timed it, retries included). From the audit records. Role"
              + " auditor-all-tenants or admin (tenant= one tenant) or auditor (its own tenant;"
              + " another: 403).")
  @GET
  @Path("/latency")
  @Produces(MediaType.APPLICATION_JSON)
  @Allowed({Role.AUDITOR, Role.AUDITOR_ALL_TENANTS, Role.ADMIN})
  public JsonObject latency(
      @QueryParam("from") String fromParam,
      @QueryParam("to") String toParam,
      @QueryParam("tenant") String tenant) {
    LocalDate[] days = days(fromParam, toParam);
    String of = auditedTenant(tenant);
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
    for (AuditStats.Latency l : stats.latency(start(days[0]), start(days[1].plusDays(1)), of)) {
      data.add(
          Jsonp.createObjectBuilder()
              .add("model", l.model())
              .add("count", l.count())
              .add("p50_ms", Math.round(l.p50()))
              .add("p95_ms", Math.round(l.p95()))
              .add("p99_ms", Math.round(l.p99())));
    }
    return Jsonp.createObjectBuilder()
        .add("from", days[0].toString())
        .add("to", days[1].toString())
        .add("data", data)
        .build();
  }

  /** {@code from} and {@code to} (UTC days, inclusive), checked; default the last 30 days. */
  private LocalDate[] days(String fromParam, String toParam) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate to = date("to", toParam, today);
    LocalDate from = date("from", fromParam, to.minusDays(29));
    if (from.isAfter(to)) {
      throw ProblemException.badParameter("from", "must not be after to");
    }
    if (from.plusDays(MAX_DAYS).isBefore(to)) {
      throw ProblemException.badParameter("from", "a report spans at most " + MAX_DAYS + " days");
    }
    return new LocalDate[] {from, to};
  }

  private static Instant start(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * The tenant to report on: an {@code auditor}'s own (asking for another: 403), or the one an
   * {@code auditor-all-tenants} or an {@code admin} asks for (null: every tenant).
   */
  private String auditedTenant(String asked) {
    String t = asked == null || asked.isBlank() ? null : asked.trim();
    Identity me = AccessFilter.identityOf(security);
    String own = me.has(Role.ADMIN) ? null : me.auditedTenant().orElse(null);
    if (own != null && t != null && !t.equals(own)) {
      throw new ProblemException(
          403,
          "permission_denied",
          "You audit the tenant " + own + " only (role auditor-all-tenants: every one)");
    }
    return own != null ? own : t;
  }

  /** The budgets of the current day and month: limit, spent, reserved, and the alert reached. */
  @Operation(
      summary = "Budget status",
      description =
          "The budgets of the current day and month: limit, spent, reserved and the alert share reached, in USD. Role auditor-all-tenants or admin: every budget; auditor: its tenant's and its tenant's keys'; ai-user: its own.")
  @GET
  @Path("/budgets")
  @Produces(MediaType.APPLICATION_JSON)
  @Allowed({Role.AUDITOR, Role.AUDITOR_ALL_TENANTS, Role.AI_USER, Role.ADMIN})
  public JsonObject budgets() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    BudgetPolicy policy = budgets.policy();
    Identity me = AccessFilter.identityOf(security);
    JsonArrayBuilder array = Jsonp.createArrayBuilder();
    for (BudgetStore.Row r : budgets.current(today)) {
      if (!visibleBudget(me, r)) {
        continue;
      }
      JsonObjectBuilder o =
          Jsonp.createObjectBuilder()
              .add("scope", r.scope())
              .add("subject", r.subject())
              .add("period", r.period())
              .add("period_start", r.periodStart().toString())
              .add("spent", plain(r.spent()))
              .add("reserved", plain(r.reserved()))
              .add("alerted_share", plain(r.alerted()));
      keyOwnLimit(r)
          .or(() -> policy.limit(r.scope(), r.subject(), r.period()))
          .ifPresentOrElse(l -> o.add("limit", plain(l)), () -> o.addNull("limit"));
      array.add(o);
    }
    return Jsonp.createObjectBuilder()
        .add("currency", "USD")
        .add("budgets", array)
        .add("alerts_raised_here", budgets.alertsRaised())
        .build();
  }

  /** The budget stored with an API key itself, which replaces the configured one of its period. */
  private java.util.Optional<BigDecimal> keyOwnLimit(BudgetStore.Row r) {
    if (!"key".equals(r.scope())) {
      return java.util.Optional.empty();
    }
    return apiKeys
        .find(r.subject())
        .map(
            k ->
                "monthly".equals(r.period()) ? k.scope().monthlyBudget() : k.scope().dailyBudget());
  }

  /**
   * Whether {@code me} may see a budget row: an admin or an all-tenant auditor every one; a
   * tenant-scoped auditor its tenant's and those of its tenant's API keys (a principal's budget
   * names no tenant, so it is not shown); anybody its own.
   */
  private boolean visibleBudget(Identity me, BudgetStore.Row r) {
    if (me.has(Role.ADMIN)) {
      return true;
    }
    if (me.audits()) {
      java.util.Optional<String> tenant = me.auditedTenant();
      if (tenant.isEmpty()) {
        return true;
      }
      if ("tenant".equals(r.scope()) && r.subject().equals(tenant.get())) {
        return true;
      }
      if ("key".equals(r.scope())
          && apiKeys.find(r.subject()).map(k -> k.tenant().equals(tenant.get())).orElse(false)) {
        return true;
      }
    }
    return ownBudget(me, r);
  }

  /** An ai-user's own budgets: its principal's, and its API key's when it called with one. */
  private static boolean ownBudget(Identity me, BudgetStore.Row r) {
    return ("user".equals(r.scope()) && r.subject().equals(me.principal()))
        || ("key".equals(r.scope()) && r.subject().equals(me.apiKeyId()));
  }

  /** The price table (USD per 1M tokens), every entry with its effective date. */
  @Operation(
      summary = "Price table",
      description =
          "Every price entry (USD per 1M tokens: input, cached input, output, batch discount) with its effective date.")
  @GET
  @Path("/prices")
  @Produces(MediaType.APPLICATION_JSON)
  @Allowed({Role.AI_USER, Role.AUDITOR, Role.AUDITOR_ALL_TENANTS, Role.ADMIN})
  public JsonObject prices() {
    JsonArrayBuilder array = Jsonp.createArrayBuilder();
    for (Price p : prices.all()) {
      array.add(
          Jsonp.createObjectBuilder()
              .add("model", p.model())
              .add("effective_from", p.effectiveFrom().toString())
              .add("input", p.input())
              .add("cached_input", p.cachedInput())
              .add("output", p.output())
              .add("batch_discount", p.batchDiscount()));
    }
    return Jsonp.createObjectBuilder()
        .add("currency", "USD")
        .add("per_tokens", 1_000_000)
        .add("prices", array)
        .build();
  }

  private boolean wantsCsv(String format) {
    if (format != null && !format.isBlank()) {
      if ("csv".equalsIgnoreCase(format)) {
        return true;
      }
      if ("json".equalsIgnoreCase(format)) {
        return false;
      }
      throw ProblemException.badParameter("format", "use json or csv");
    }
    for (MediaType t : headers.getAcceptableMediaTypes()) {
      if (t.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !t.isWildcardType()) {
        return false;
      }
      if ("text".equals(t.getType()) && "csv".equals(t.getSubtype())) {
        return true;
      }
    }
    return false;
  }

  private static JsonObjectBuilder json(UsageRow row) {
    JsonObjectBuilder o = Jsonp.createObjectBuilder();
    row.group().forEach(o::add);
    return o.add("requests", row.requests())
        .add("input_tokens", row.inputTokens())
        .add("cached_input_tokens", row.cachedTokens())
        .add("cached_share", row.cachedShare())
        .add("output_tokens", row.outputTokens())
        .add("reasoning_tokens", row.reasoningTokens())
        .add("cost", plain(row.cost()));
  }

  static String csv(List<UsageRow> rows, List<String> groupBy) {
    List<String> dims = UsageLedger.ORDER.stream().filter(groupBy::contains).toList();
    List<String> header = new ArrayList<>(dims);
    header.addAll(
        List.of(
            "requests",
            "input_tokens",
            "cached_input_tokens",
            "cached_share",
            "output_tokens",
            "reasoning_tokens",
            "cost_usd"));
    StringBuilder out = new StringBuilder(String.join(",", header)).append("\r\n");
    for (UsageRow row : rows) {
      List<String> cells = new ArrayList<>();
      for (String d : dims) {
        cells.add(cell(row.group().get(d)));
      }
      cells.add(Long.toString(row.requests()));
      cells.add(Long.toString(row.inputTokens()));
      cells.add(Long.toString(row.cachedTokens()));
      cells.add(row.cachedShare().toPlainString());
      cells.add(Long.toString(row.outputTokens()));
      cells.add(Long.toString(row.reasoningTokens()));
      cells.add(plain(row.cost()).toPlainString());
      out.append(String.join(",", cells)).append("\r\n");
    }
    return out.toString();
  }

  /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it. */
  static String cell(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      v = "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  private static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  private static LocalDate date(String name, String value, LocalDate fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw ProblemException.badParameter(name, "not a date (yyyy-mm-dd): " + value);
    }
  }
}
