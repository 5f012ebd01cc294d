package dev.warden.it;

import dev.warden.cost.BudgetStore;
import dev.warden.cost.Budgets;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The cost rows of one test principal: removes what earlier runs left (the PostgreSQL database
 * outlives the server), and reads the principal's daily budget row.
 */
@ApplicationScoped
public class CostRows {

  @Resource(lookup = "jdbc/warden")
  DataSource dataSource;

  @Inject Budgets budgets;

  @Transactional
  public void forget(String principal) {
    try (Connection c = dataSource.getConnection()) {
      for (String sql :
          new String[] {
            "delete from cost_budget_hold where budget_id in"
                + " (select id from cost_budget where subject = ?)",
            "delete from cost_budget where subject = ?",
            "delete from cost_usage where principal = ?",
            "delete from cost_deferred_call where principal = ?",
            "delete from cost_background where principal = ?"
          }) {
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setString(1, principal);
          p.executeUpdate();
        }
      }
      // the principal's shared rate-limit buckets (PostgreSQL): a day's bucket outlives the run
      try (PreparedStatement p = c.prepareStatement("delete from rate_bucket where id like ?")) {
        p.setString(1, "user|" + principal + "|%");
        p.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Today's daily budget row of user {@code principal}; zeros when it has none yet. */
  public BudgetStore.Row daily(String principal) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return budgets.current(today).stream()
        .filter(
            r ->
                r.scope().equals("user")
                    && r.subject().equals(principal)
                    && r.period().equals("daily"))
        .findFirst()
        .orElse(
            new BudgetStore.Row(
                "none",
                "user",
                principal,
                "daily",
                today,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO));
  }
}
