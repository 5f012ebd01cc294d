package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link AuditStats} on an in-memory H2 database (PostgreSQL mode, as the servers run it). */
class AuditStatsTest {
  private static final Instant DAY1 = Instant.parse("2026-11-02T23:59:59Z");
  private static final Instant DAY2 = Instant.parse("2026-11-03T00:00:01Z");
  private static final Instant AFTER = Instant.parse("2026-11-05T00:00:00Z");

  private static SeAuditStack stack;

  @BeforeAll
  static void open() {
    stack =
        new SeAuditStack(
            SeAuditStack.Db.h2("warden_stats_" + UUID.randomUUID().toString().replace("-", "")),
            2,
            new SeAuditStack.Keys());
    stack.appendCall("acme", "m", "FAILED", "BudgetRefusal", 0, DAY1);
    stack.appendCall("acme", "m", "FAILED", "BudgetRefusal", 0, DAY2);
    stack.appendCall("acme", "m", "FAILED", "BudgetRefusal", 0, DAY2);
    stack.appendCall("acme", "m", "FAILED", "RateLimitRefusal", 0, DAY2);
    stack.appendCall("globex", "m", "FAILED", "PiiBlockedRefusal", 0, DAY2);
    stack.appendCall("acme", "m", "FAILED", "ServerErrorException", 0, DAY2);
    stack.appendCall("acme", "m", "FAILED", "BudgetRefusal", 0, AFTER);
    for (int ms = 1; ms <= 100; ms++) {
      stack.appendCall("acme", "fast", "SUCCEEDED", null, ms, DAY2);
    }
    stack.appendCall("globex", "slow", "SUCCEEDED", null, 5000, DAY1);
    stack.appendCall("globex", "slow", "FAILED", "ServerErrorException", 1, DAY1);
  }

  @AfterAll
  static void close() {
    stack.close();
  }

  @Test
  void refusalsAreCountedPerUtcDayAndTypeInTheRange() {
    List<String> types = List.of("BudgetRefusal", "RateLimitRefusal", "PiiBlockedRefusal");
    Instant from = Instant.parse("2026-11-02T00:00:00Z");

    assertThat(stack.errors(from, AFTER, types, null))
        .containsExactly(
            new AuditStats.ErrorCount(LocalDate.parse("2026-11-02"), "BudgetRefusal", 1),
            new AuditStats.ErrorCount(LocalDate.parse("2026-11-03"), "BudgetRefusal", 2),
            new AuditStats.ErrorCount(LocalDate.parse("2026-11-03"), "PiiBlockedRefusal", 1),
            new AuditStats.ErrorCount(LocalDate.parse("2026-11-03"), "RateLimitRefusal", 1));
    assertThat(stack.errors(from, AFTER, types, "globex"))
        .containsExactly(
            new AuditStats.ErrorCount(LocalDate.parse("2026-11-03"), "PiiBlockedRefusal", 1));
    assertThat(stack.errors(from, AFTER, List.of(), null)).isEmpty();
  }

  @Test
  void latencyPercentilesArePerModelOfAnsweredCalls() {
    Instant from = Instant.parse("2026-11-01T00:00:00Z");

    List<AuditStats.Latency> all = stack.latency(from, AFTER, null);

    assertThat(all).extracting(AuditStats.Latency::model).containsExactly("fast", "slow");
    AuditStats.Latency fast = all.get(0);
    assertThat(fast.count()).isEqualTo(100);
    assertThat(fast.p50()).isCloseTo(50.5, within(0.01));
    assertThat(fast.p95()).isCloseTo(95.05, within(0.01));
    assertThat(fast.p99()).isCloseTo(99.01, within(0.01));
    AuditStats.Latency slow = all.get(1);
    assertThat(slow.count()).isEqualTo(1); // the failed call is not counted
    assertThat(slow.p99()).isEqualTo(5000);
    assertThat(stack.latency(from, AFTER, "acme"))
        .extracting(AuditStats.Latency::model)
        .containsExactly("fast");
  }
}
