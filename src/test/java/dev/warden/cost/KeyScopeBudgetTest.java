package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.call.Caller;
import dev.warden.call.KeyScope;
import java.math.BigDecimal;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Budgets stored with a Warden API key (identity, #8) beside the configured ones. */
class KeyScopeBudgetTest {

  @Test
  void aKeysOwnBudgetReplacesTheConfiguredOneOfItsPeriodAndKeepsTheRowOrder() {
    BudgetPolicy policy =
        BudgetPolicy.from(
            CostSettings.only(
                "warden.budget.key.*.daily", "5",
                "warden.budget.key.*.monthly", "50",
                "warden.budget.user.svc.daily", "9"));
    Caller caller =
        new Caller(
            "svc", "acme", "k1", new KeyScope(Set.of(), new BigDecimal("0.25"), null, null, null));
    assertThat(policy.limitsFor(caller))
        .extracting(l -> l.scope() + "/" + l.subject() + "/" + l.period() + "=" + l.amount())
        .containsExactly("key/k1/daily=0.25", "key/k1/monthly=50", "user/svc/daily=9");
  }

  @Test
  void aKeysOwnBudgetAppliesWithoutAnyConfiguredOne() {
    BudgetPolicy policy = BudgetPolicy.from(CostSettings.only());
    Caller caller =
        new Caller("svc", "acme", "k1", new KeyScope(Set.of(), null, BigDecimal.ONE, null, null));
    assertThat(policy.limitsFor(caller))
        .extracting(l -> l.scope() + "/" + l.period() + "=" + l.amount())
        .containsExactly("key/monthly=1");
  }
}
