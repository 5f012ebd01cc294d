package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.Caller;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetPolicyTest {

  @Test
  void ownEntriesWinOverTheWildcardAndKeysAreIncluded() {
    BudgetPolicy policy =
        BudgetPolicy.from(
            CostSettings.only(
                "warden.budget.user.alice@example.com.daily", "2",
                "warden.budget.user.*.daily", "1",
                "warden.budget.tenant.acme.monthly", "100",
                "warden.budget.key.k1.daily", "5"));
    var limits = policy.limitsFor(new Caller("alice@example.com", "acme", "k1"));
    assertThat(limits)
        .extracting(l -> l.scope() + "/" + l.subject() + "/" + l.period() + "=" + l.amount())
        .containsExactly(
            "key/k1/daily=5", "tenant/acme/monthly=100", "user/alice@example.com/daily=2");
    assertThat(policy.limitsFor(Caller.of("bob")))
        .extracting(l -> l.subject() + "=" + l.amount())
        .containsExactly("bob=1");
  }

  @Test
  void periodsAreUtcDaysAndMonths() {
    BudgetPolicy.Limit daily =
        new BudgetPolicy.Limit("user", "a", "daily", java.math.BigDecimal.ONE);
    BudgetPolicy.Limit monthly =
        new BudgetPolicy.Limit("user", "a", "monthly", java.math.BigDecimal.ONE);
    Instant t = Instant.parse("2026-11-22T23:59:59Z");
    assertThat(daily.rowId(t)).isEqualTo("user|a|daily|2026-11-22");
    assertThat(monthly.rowId(t)).isEqualTo("user|a|monthly|2026-11-01");
  }

  @Test
  void alertThresholdsDefaultAndValidate() {
    assertThat(BudgetPolicy.from(CostSettings.only()).alertThresholds())
        .extracting(java.math.BigDecimal::toPlainString)
        .containsExactly("0.5", "0.8", "0.9");
    assertThatThrownBy(
            () -> BudgetPolicy.from(CostSettings.only("warden.budget.alert-thresholds", "1.5")))
        .hasMessageContaining("warden.budget.alert-thresholds");
    assertThatThrownBy(
            () -> BudgetPolicy.from(CostSettings.only("warden.budget.user.a.weekly", "1")))
        .hasMessageContaining("warden.budget.user.a.weekly");
  }
}
