package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.call.Caller;
import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.cost.BudgetStore;
import dev.warden.cost.Budgets;
import dev.warden.cost.UsageLedger;
import dev.warden.cost.UsageRow;
import dev.warden.openai.error.ConnectionPoolExhaustedException;
import dev.warden.openai.model.ChatCompletionRequest;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The proof that budgets hold under concurrency, in the server on its real database: 200 concurrent
 * calls of user {@code budget-it}, whose daily budget (pom.xml: 0.00021 USD) fits 50 of their worst
 * cases (8 counted input tokens + 5 output tokens of gpt-4o-mini = 0.0000042 USD).
 */
class BudgetIT extends InContainerTest {

  static final BigDecimal DAILY = new BigDecimal("0.00021");
  static final BigDecimal ACTUAL = new BigDecimal("0.0000036");
  static final Caller CALLER = new Caller("budget-it", "budget-it-tenant", null);

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden().addClasses(BudgetIT.Db.class, BudgetIT.class);
  }

  /** Removes what earlier runs left for the test's caller (the database outlives the server). */
  @ApplicationScoped
  public static class Db {
    @Resource(lookup = "jdbc/warden")
    DataSource dataSource;

    @Transactional
    public void forget(String principal, String tenant) {
      try (Connection c = dataSource.getConnection();
          PreparedStatement budgets =
              c.prepareStatement("delete from cost_budget where subject in (?, ?)");
          PreparedStatement usage =
              c.prepareStatement("delete from cost_usage where principal = ?")) {
        budgets.setString(1, principal);
        budgets.setString(2, tenant);
        budgets.executeUpdate();
        usage.setString(1, principal);
        usage.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Inject Db db;
  @Inject Budgets budgets;
  @Inject UsageLedger ledger;

  // 200 threads at once (the managed executor runs only a few tasks at a time); threads from the
  // managed factory carry the application's context
  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  @Test
  void twoHundredConcurrentCallsNeverSpendMoreThanTheBudget() throws Exception {
    db.forget(CALLER.principal(), CALLER.tenant());
    long alertsBefore = budgets.alertsRaised();
    ChatCompletionRequest request =
        ask("gpt-4o-mini", "hi").toBuilder().maxCompletionTokens(5).build();

    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    AtomicInteger saturated = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(200, threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(
          executor.submit(
              () -> {
                start.await();
                String outcome = null;
                // a hammering client: it retries while Warden says the upstream is saturated (the
                // IT server allows 4 upstream connections), until it gets an answer or a refusal
                while (outcome == null) {
                  try {
                    String by = Caller.runAs(CALLER, () -> openAi.chat(request)).answeredBy();
                    outcome = "gpt-4o-mini".equals(by) ? "ok" : "fallback:" + by;
                  } catch (BudgetRefusal e) {
                    outcome = e.code();
                  } catch (ConnectionPoolExhaustedException e) {
                    saturated.incrementAndGet();
                  } catch (RuntimeException e) {
                    outcome = e.getClass().getSimpleName();
                  }
                }
                outcomes.merge(outcome, 1, Integer::sum);
                return null;
              }));
    }
    start.countDown();
    try {
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      executor.shutdownNow();
    }

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    BudgetStore.Row daily =
        budgets.current(today).stream()
            .filter(r -> r.subject().equals("budget-it") && r.period().equals("daily"))
            .findFirst()
            .orElseThrow();
    int succeeded = outcomes.getOrDefault("ok", 0);
    int refused = outcomes.getOrDefault(BudgetRefusal.CODE, 0);
    String summary =
        outcomes
            + " saturated-retries="
            + saturated
            + " spent="
            + daily.spent()
            + " reserved="
            + daily.reserved();
    System.out.println("BudgetIT: " + summary);

    assertEquals(200, succeeded + refused, summary);
    assertTrue(daily.spent().compareTo(DAILY) <= 0, "spent beyond the budget: " + summary);
    assertEquals(0, daily.reserved().signum(), "every reservation settled or released: " + summary);
    // a call reserves 0.0000042 and costs 0.0000036 (4 + 5 tokens by the mock's count): 50 fit
    // while all are in flight, up to 58 once earlier ones settled below their reservations
    assertTrue(succeeded >= 50 && succeeded <= 58, summary);
    assertEquals(
        0, ACTUAL.multiply(BigDecimal.valueOf(succeeded)).compareTo(daily.spent()), summary);
    assertTrue(refused >= 142, summary);
    assertEquals(succeeded, mock.count(MockAdmin.request("POST", CHAT)), summary);

    // the ledger agrees with the budget, call for call
    List<UsageRow> rows =
        ledger.report(today, today, List.of("principal"), Map.of("principal", "budget-it"));
    assertEquals(1, rows.size(), summary);
    assertEquals(succeeded, rows.get(0).requests(), summary);
    assertEquals(0, rows.get(0).cost().compareTo(daily.spent()), summary);

    // crossing 50 %, 80 % and 90 % of the limit raised alerts here, once each
    assertTrue(daily.alerted().compareTo(new BigDecimal("0.8")) >= 0, summary);
    assertTrue(budgets.alertsRaised() - alertsBefore >= 2, summary);
  }
}
