package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Warden servers sharing one database, as two independent JDBC stacks (data sources with their
 * own connections) hammering one budget row. Runs against the database of the build: in-memory H2
 * in the default pass, PostgreSQL in the {@code WARDEN_DB=postgresql} pass ({@code db.kind}, {@code
 * db.name} from Failsafe).
 */
class BudgetTwoServersIT {

  static final BudgetDatabases DB = BudgetDatabases.ofBuild();

  @BeforeAll
  static void migrate() {
    DB.migrate();
  }

  @Test
  void twoServersNeverSpendMoreThanTheBudget() throws Exception {
    List<DataSource> servers = List.of(DB.dataSource(), DB.dataSource());
    BigDecimal unit = new BigDecimal("0.0000042");
    BudgetHammer.Result r =
        BudgetHammer.run(
            servers,
            "two-servers-" + UUID.randomUUID(),
            200,
            24,
            unit,
            unit,
            unit.multiply(BigDecimal.valueOf(50)),
            0);
    assertThat(r.admitted()).as(DB.kind).isEqualTo(50);
    assertThat(r.refused()).isEqualTo(150);
    assertThat(r.row().spent()).isEqualByComparingTo(unit.multiply(BigDecimal.valueOf(50)));
    assertThat(r.row().reserved()).isEqualByComparingTo("0");
  }

  @Test
  void withSettlementsBelowTheReservationsTheSpendStillStaysUnder() throws Exception {
    List<DataSource> servers = List.of(DB.dataSource(), DB.dataSource());
    BigDecimal reserve = new BigDecimal("0.0000042");
    BigDecimal actual = new BigDecimal("0.0000036");
    BigDecimal limit = reserve.multiply(BigDecimal.valueOf(50));
    BudgetHammer.Result r =
        BudgetHammer.run(
            servers, "two-servers-" + UUID.randomUUID(), 200, 24, reserve, actual, limit, 7);
    assertThat(r.row().spent()).isLessThanOrEqualTo(limit);
    assertThat(r.row().spent()).isEqualByComparingTo(r.settledSum());
    assertThat(r.row().reserved()).isEqualByComparingTo("0");
    assertThat(r.admitted()).isGreaterThanOrEqualTo(50);
  }
}
