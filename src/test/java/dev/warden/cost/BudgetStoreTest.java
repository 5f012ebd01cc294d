package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The budget row operations on an embedded H2 in PostgreSQL mode, the server's default database.
 */
class BudgetStoreTest {

  static final BudgetDatabases DB = new BudgetDatabases("h2");

  @BeforeAll
  static void migrate() {
    DB.migrate();
  }

  @Test
  void aReservationFitsOnlyUnderTheLimitAndSettlingMovesItToSpent() throws Exception {
    DataSource ds = DB.dataSource();
    String id = "user|t1|daily|2026-01-01";
    try (Connection c = ds.getConnection()) {
      BudgetStore.ensure(c, id, "user", "t1", "daily", LocalDate.of(2026, 1, 1));
      BudgetStore.ensure(c, id, "user", "t1", "daily", LocalDate.of(2026, 1, 1));
      assertThat(BudgetStore.reserve(c, id, new BigDecimal("0.6"), BigDecimal.ONE)).isTrue();
      assertThat(BudgetStore.reserve(c, id, new BigDecimal("0.6"), BigDecimal.ONE)).isFalse();
      BudgetStore.settle(c, id, new BigDecimal("0.6"), new BigDecimal("0.25"));
      BudgetStore.Row row = BudgetStore.read(c, id).orElseThrow();
      assertThat(row.spent()).isEqualByComparingTo("0.25");
      assertThat(row.reserved()).isEqualByComparingTo("0");
      assertThat(BudgetStore.reserve(c, id, new BigDecimal("0.75"), BigDecimal.ONE)).isTrue();
      assertThat(BudgetStore.reserve(c, id, new BigDecimal("0.000000000001"), BigDecimal.ONE))
          .isFalse();
      assertThat(BudgetStore.raiseAlert(c, id, new BigDecimal("0.5"))).isTrue();
      assertThat(BudgetStore.raiseAlert(c, id, new BigDecimal("0.5"))).isFalse();
      assertThat(BudgetStore.raiseAlert(c, id, new BigDecimal("0.8"))).isTrue();
      assertThat(BudgetStore.current(c, LocalDate.of(2026, 1, 1)))
          .extracting(BudgetStore.Row::id)
          .contains(id);
    }
  }

  @Test
  void twoHundredConcurrentCallsNeverSpendMoreThanTheBudget() throws Exception {
    BigDecimal unit = new BigDecimal("0.001");
    BudgetHammer.Result r =
        BudgetHammer.run(
            List.of(DB.dataSource()),
            "conc-" + UUID.randomUUID(),
            200,
            32,
            unit,
            unit,
            unit.multiply(BigDecimal.valueOf(50)),
            0);
    assertThat(r.admitted()).isEqualTo(50);
    assertThat(r.refused()).isEqualTo(150);
    assertThat(r.row().spent()).isEqualByComparingTo("0.05");
    assertThat(r.row().reserved()).isEqualByComparingTo("0");
  }

  @Test
  void releasedReservationsLetLaterCallsIn() throws Exception {
    BigDecimal unit = new BigDecimal("0.001");
    // every 4th admitted call fails and releases: more than 50 get in, the spend stays under
    BudgetHammer.Result r =
        BudgetHammer.run(
            List.of(DB.dataSource(), DB.dataSource()),
            "rel-" + UUID.randomUUID(),
            200,
            16,
            unit.multiply(BigDecimal.valueOf(2)),
            unit,
            unit.multiply(BigDecimal.valueOf(100)),
            4);
    assertThat(r.row().spent()).isEqualByComparingTo(r.settledSum());
    assertThat(r.row().spent()).isLessThanOrEqualTo(new BigDecimal("0.1"));
    assertThat(r.row().reserved()).isEqualByComparingTo("0");
    assertThat(r.admitted()).isGreaterThan(50);
  }
}
