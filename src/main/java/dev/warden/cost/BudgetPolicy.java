package dev.warden.cost;

import dev.warden.call.Caller;
import dev.warden.config.Settings;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Budgets from configuration: {@code warden.budget.<user|tenant|key>.<name>.<daily|monthly>=USD},
 * where {@code <name>} is a principal, a tenant or an API key id, or {@code *} for every one
 * without its own entry. Soft alerts at {@code warden.budget.alert-thresholds} (shares of the
 * limit, default {@code 0.5,0.8,0.9}). Days and months are UTC.
 */
public final class BudgetPolicy {

  static final String PREFIX = "warden.budget.";
  static final String ANY = "*";

  /** One budget that applies to a call. */
  public record Limit(String scope, String subject, String period, BigDecimal amount)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The first day of the period that {@code now} falls in (UTC). */
    public LocalDate periodStart(Instant now) {
      LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
      return "monthly".equals(period) ? day.withDayOfMonth(1) : day;
    }

    /** The id of the budget row of the period that {@code now} falls in. */
    public String rowId(Instant now) {
      return scope + "|" + subject + "|" + period + "|" + periodStart(now);
    }
  }

  private final Map<String, BigDecimal> amounts = new HashMap<>();
  private final List<BigDecimal> alertThresholds;

  private BudgetPolicy(Settings settings) {
    for (String key : settings.names()) {
      // alert-thresholds, alert-webhook, alert-webhook-timeout: not budgets
      if (!key.startsWith(PREFIX) || key.startsWith(PREFIX + "alert-")) {
        continue;
      }
      String rest = key.substring(PREFIX.length());
      int first = rest.indexOf('.');
      int last = rest.lastIndexOf('.');
      if (first <= 0 || last <= first) {
        throw new IllegalArgumentException(
            key + ": expected warden.budget.<user|tenant|key>.<name>.<daily|monthly>");
      }
      String scope = rest.substring(0, first);
      String period = rest.substring(last + 1);
      if (!List.of("user", "tenant", "key").contains(scope)
          || !List.of("daily", "monthly").contains(period)) {
        throw new IllegalArgumentException(
            key + ": expected warden.budget.<user|tenant|key>.<name>.<daily|monthly>");
      }
      amounts.put(rest, amount(key, settings.string(key, "0")));
    }
    List<BigDecimal> thresholds = new ArrayList<>();
    for (String t : settings.list(PREFIX + "alert-thresholds")) {
      BigDecimal d = amount(PREFIX + "alert-thresholds", t);
      if (d.signum() <= 0 || d.compareTo(BigDecimal.ONE) > 0) {
        throw new IllegalArgumentException(
            PREFIX + "alert-thresholds: each share must be above 0 and at most 1: " + t);
      }
      thresholds.add(d);
    }
    if (settings.string(PREFIX + "alert-thresholds").isEmpty()) {
      thresholds.addAll(
          List.of(new BigDecimal("0.5"), new BigDecimal("0.8"), new BigDecimal("0.9")));
    }
    thresholds.sort(Comparator.naturalOrder());
    this.alertThresholds = List.copyOf(thresholds);
  }

  public static BudgetPolicy from(Settings settings) {
    return new BudgetPolicy(settings);
  }

  /** The budgets that apply to {@code caller}, in a fixed order (by row id, to avoid deadlocks). */
  public List<Limit> limitsFor(Caller caller) {
    List<Limit> limits = new ArrayList<>();
    add(limits, "user", caller.principal());
    add(limits, "tenant", caller.tenant());
    if (caller.apiKeyId() != null) {
      add(limits, "key", caller.apiKeyId());
      keyOwn(limits, caller, "daily", caller.scope().dailyBudget());
      keyOwn(limits, caller, "monthly", caller.scope().monthlyBudget());
    }
    limits.sort(Comparator.comparing(l -> l.scope() + "|" + l.subject() + "|" + l.period()));
    return limits;
  }

  /** The soft alert thresholds, ascending shares of a limit. */
  public List<BigDecimal> alertThresholds() {
    return alertThresholds;
  }

  /** The limit of a budget row's scope, subject and period, if still configured. */
  public java.util.Optional<BigDecimal> limit(String scope, String subject, String period) {
    BigDecimal own = amounts.get(scope + "." + subject + "." + period);
    return java.util.Optional.ofNullable(
        own != null ? own : amounts.get(scope + "." + ANY + "." + period));
  }

  /** Whether any budget is configured at all. */
  public boolean isEmpty() {
    return amounts.isEmpty();
  }

  /** A budget stored with the API key itself replaces the configured one of its period. */
  private static void keyOwn(List<Limit> limits, Caller caller, String period, BigDecimal amount) {
    if (amount == null) {
      return;
    }
    limits.removeIf(l -> "key".equals(l.scope()) && period.equals(l.period()));
    limits.add(new Limit("key", caller.apiKeyId(), period, amount));
  }

  private void add(List<Limit> limits, String scope, String subject) {
    for (String period : List.of("daily", "monthly")) {
      BigDecimal own = amounts.get(scope + "." + subject + "." + period);
      BigDecimal any = amounts.get(scope + "." + ANY + "." + period);
      BigDecimal amount = own != null ? own : any;
      if (amount != null) {
        limits.add(new Limit(scope, subject, period, amount));
      }
    }
  }

  private static BigDecimal amount(String key, String value) {
    try {
      BigDecimal d = new BigDecimal(value.trim());
      if (d.signum() < 0) {
        throw new IllegalArgumentException(key + " must not be negative: " + value);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a decimal number: " + value, e);
    }
  }
}
