package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.Caller;
import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.cluster.ServerGone;
import dev.warden.cluster.ServerLeases;
import dev.warden.config.Settings;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The holds of calls in flight ({@code cost_budget_hold}): two servers' {@link Budgets} on one
 * database (an in-memory H2, as the server's), one of which is gone.
 */
class BudgetHoldsTest {

  private static final Map<String, String> CONFIG = Map.of("warden.budget.user.alice.daily", "5");
  private static final Caller ALICE = new Caller("alice", "acme", null);

  private final BudgetDatabases db = new BudgetDatabases("h2");
  private final DataSource dataSource = db.dataSource();

  BudgetHoldsTest() {
    db.migrate();
  }

  private Budgets server(String name) {
    Budgets b = new Budgets();
    b.dataSource = dataSource;
    b.policy =
        BudgetPolicy.from(new Settings(k -> Optional.ofNullable(CONFIG.get(k)), CONFIG.keySet()));
    b.leases =
        new ServerLeases() {
          @Override
          public String name() {
            return name;
          }
        };
    b.self = b;
    return b;
  }

  private BudgetStore.Row row(List<Budgets.Hold> holds) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return BudgetStore.read(c, holds.get(0).rowId()).orElseThrow();
    }
  }

  private long holdRows() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from cost_budget_hold")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aGoneServersReservationIsReleasedByTheServerThatRecoversIt() throws Exception {
    Budgets gone = server("server-1");
    Budgets survivor = server("server-2");
    List<Budgets.Hold> holds = gone.reserve(ALICE, new BigDecimal("1.5"), Instant.now(), null);
    assertThat(holdRows()).isEqualTo(1);
    assertThat(row(holds).reserved()).isEqualByComparingTo("1.5");
    // the survivor's own calls are not touched
    List<Budgets.Hold> own = survivor.reserve(ALICE, new BigDecimal("0.5"), Instant.now(), null);

    survivor.onServerGone(new ServerGone("server-1", Instant.now().plusSeconds(1)));

    assertThat(row(holds).reserved()).isEqualByComparingTo("0.5");
    assertThat(holdRows()).isEqualTo(1);
    survivor.settle(own, new BigDecimal("0.2"));
    assertThat(row(holds).reserved()).isEqualByComparingTo("0");
    assertThat(row(holds).spent()).isEqualByComparingTo("0.2");
    assertThat(holdRows()).isZero();
  }

  @Test
  void aCallThatEndsAfterItsServerWasTakenForGoneIsChargedButNotReleasedTwice() throws Exception {
    Budgets slow = server("server-1");
    List<Budgets.Hold> holds = slow.reserve(ALICE, new BigDecimal("1.5"), Instant.now(), null);
    server("server-2").releaseHoldsOf("server-1", Instant.now().plusSeconds(1));

    slow.settle(holds, new BigDecimal("0.3"));

    assertThat(row(holds).reserved()).isEqualByComparingTo("0");
    assertThat(row(holds).spent()).isEqualByComparingTo("0.3");
  }

  @Test
  void aHandedOverReservationIsNotReleasedWhenItsServerIsGone() throws Exception {
    Budgets first = server("server-1");
    List<Budgets.Hold> holds = first.reserve(ALICE, new BigDecimal("1.5"), Instant.now(), null);
    first.disown(holds);

    assertThat(server("server-2").releaseHoldsOf("server-1", Instant.now().plusSeconds(1)))
        .isZero();
    assertThat(row(holds).reserved()).isEqualByComparingTo("1.5");
    // its new keeper settles it later, from its JSON (no hold row)
    Reservation.Held held =
        new Reservation.Held("gpt-4o", 10, new BigDecimal("1.5"), holds, Instant.now());
    first.settle(Reservation.Held.holdsFromJson(held.holdsJson()), new BigDecimal("0.1"));
    assertThat(row(holds).reserved()).isEqualByComparingTo("0");
  }

  @Test
  void onlyHoldsMadeBeforeTheRecoveredRunEndedAreReleased() throws Exception {
    Budgets restarted = server("server-1");
    restarted.reserve(ALICE, new BigDecimal("1.5"), Instant.now(), null);
    assertThat(restarted.releaseHoldsOf("server-1", Instant.now().minusSeconds(60))).isZero();
    assertThat(holdRows()).isEqualTo(1);
  }

  @Test
  void anInterruptedCallsHoldsAreFoundByItsRequestAndChargedOnceWhicheverRecoveryRunsFirst()
      throws Exception {
    Budgets gone = server("server-1");
    Budgets survivor = server("server-2");
    Instant now = Instant.now();
    gone.reserve(ALICE, new BigDecimal("1.5"), now, "req-charged-first");
    gone.reserve(ALICE, new BigDecimal("1.0"), now, "req-released-first");
    assertThat(survivor.holdsOfCall("req-unknown")).isEmpty();

    // the charge of a cut call settles its holds before the gone server's release
    List<Budgets.Hold> first = survivor.holdsOfCall("req-charged-first");
    assertThat(first)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.amount()).isEqualByComparingTo("1.5");
              assertThat(h.limit())
                  .isEqualTo(new BudgetPolicy.Limit("user", "alice", "daily", new BigDecimal("5")));
              assertThat(h.id()).isNotNull();
            });
    survivor.settle(first, new BigDecimal("0.25"));
    assertThat(row(first).reserved()).isEqualByComparingTo("1.0");
    assertThat(row(first).spent()).isEqualByComparingTo("0.25");

    // the other call's holds: released by the recovery of the gone server first, then charged
    List<Budgets.Hold> second = survivor.holdsOfCall("req-released-first");
    survivor.onServerGone(new ServerGone("server-1", now.plusSeconds(1)));
    assertThat(row(first).reserved()).isEqualByComparingTo("0");
    survivor.settle(second, new BigDecimal("0.5"));

    // each reservation released once, each charge added once
    assertThat(row(first).reserved()).isEqualByComparingTo("0");
    assertThat(row(first).spent()).isEqualByComparingTo("0.75");
    assertThat(holdRows()).isZero();
  }

  @Test
  void aReservationWhoseCommitMetAnOutageIsReleasedOnceTheDatabaseAnswersAgain() throws Exception {
    Budgets database = server("server-1");
    AtomicBoolean away = new AtomicBoolean(true);
    Budgets b = server("server-1");
    // the reservation commits, but the database's answer is lost: the caller sees an outage
    b.self =
        new Budgets() {
          @Override
          public List<Hold> reserve(
              Caller caller, BigDecimal amount, Instant now, String requestId) {
            database.reserve(caller, amount, now, requestId);
            throw new IllegalStateException(
                new SQLTransientConnectionException("the answer was lost", "08006"));
          }

          @Override
          public int releaseHoldsOfCall(String requestId) {
            if (away.get()) {
              throw new IllegalStateException(
                  new SQLTransientConnectionException("the database is away", "08001"));
            }
            return database.releaseHoldsOfCall(requestId);
          }
        };

    assertThatThrownBy(
            () -> b.reserveForCall(ALICE, new BigDecimal("1.5"), Instant.now(), "req-in-doubt"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(b.reservationsInDoubt()).isEqualTo(1);
    assertThat(reserved()).isEqualByComparingTo("1.5");
    assertThat(holdRows()).isEqualTo(1);

    assertThat(b.releaseInDoubt()).as("the database still away").isZero();
    assertThat(b.reservationsInDoubt()).isEqualTo(1);

    away.set(false);
    assertThat(b.releaseInDoubt()).isEqualTo(1);
    assertThat(b.reservationsInDoubt()).isZero();
    assertThat(reserved()).isEqualByComparingTo("0");
    assertThat(holdRows()).isZero();
    assertThat(b.releaseInDoubt()).isZero();
  }

  @Test
  void aRefusedReservationIsNotInDoubt() throws Exception {
    Budgets b = server("server-1");
    assertThatThrownBy(
            () -> b.reserveForCall(ALICE, new BigDecimal("50"), Instant.now(), "req-refused"))
        .isInstanceOf(BudgetRefusal.class);
    assertThat(b.reservationsInDoubt()).isZero();
    assertThat(reserved()).isEqualByComparingTo("0");
  }

  private BigDecimal reserved() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select coalesce(sum(reserved), 0) from cost_budget")) {
      rs.next();
      return rs.getBigDecimal(1);
    }
  }
}
