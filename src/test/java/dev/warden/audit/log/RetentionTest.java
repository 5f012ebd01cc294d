package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.Settings;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Retention policy from configuration, the purge plan, and the job schedule. */
class RetentionTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  static Settings settings(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)), values.keySet());
  }

  @Test
  void retentionIsConfiguredPerTenantWithADefault() {
    RetentionPolicy p =
        RetentionPolicy.fromSettings(
            settings(
                Map.of(
                    RetentionPolicy.DEFAULT,
                    "P30D",
                    RetentionPolicy.TENANT_PREFIX + "acme",
                    "P7D",
                    RetentionPolicy.TENANT_PREFIX + "bank",
                    "P3650D",
                    "warden.other",
                    "x")));
    assertThat(p.retention("acme")).isEqualTo(Duration.ofDays(7));
    assertThat(p.retention("bank")).isEqualTo(Duration.ofDays(3650));
    assertThat(p.retention("anyone")).isEqualTo(Duration.ofDays(30));
    assertThat(p.latestCutoff(NOW)).isEqualTo(NOW.minus(Duration.ofDays(7)));
    assertThat(p.expired("acme", NOW.minus(Duration.ofDays(8)), NOW)).isTrue();
    assertThat(p.expired("anyone", NOW.minus(Duration.ofDays(8)), NOW)).isFalse();
    assertThat(p.expired("bank", NOW.minus(Duration.ofDays(400)), NOW)).isFalse();

    assertThat(RetentionPolicy.fromSettings(settings(Map.of())).defaultRetention())
        .isEqualTo(Duration.ofDays(365));
  }

  @Test
  void aNonPositiveRetentionIsRefusedNamingTheKey() {
    assertThatThrownBy(
            () ->
                RetentionPolicy.fromSettings(
                    settings(Map.of(RetentionPolicy.TENANT_PREFIX + "acme", "PT0S"))))
        .hasMessageContaining("warden.audit.retention.tenants.acme");
    assertThatThrownBy(
            () -> RetentionPolicy.fromSettings(settings(Map.of(RetentionPolicy.DEFAULT, "soon"))))
        .hasMessageContaining(RetentionPolicy.DEFAULT);
  }

  static PurgePlan.Candidate c(long seq, String tenant, String subject, int daysOld) {
    return new PurgePlan.Candidate(
        seq, tenant, subject, NOW.minus(Duration.ofDays(daysOld)), new byte[] {(byte) seq});
  }

  @Test
  void expiredUnheldConsecutiveRecordsFormRuns() {
    RetentionPolicy p =
        new RetentionPolicy(Duration.ofDays(30), Map.of("acme", Duration.ofDays(7)));
    List<PurgePlan.Candidate> page =
        List.of(
            c(1, "default", null, 40),
            c(2, "default", "s1", 40),
            c(3, "default", "held", 40), // subject hold
            c(4, "default", null, 40),
            c(5, "acme", null, 10), // acme keeps 7 days: expired
            c(6, "default", null, 10), // default keeps 30: not expired
            c(7, "frozen", null, 400), // tenant hold
            c(8, "default", null, 40),
            c(10, "default", null, 40)); // 9 is gone already: a new run
    List<PurgePlan.Run> runs =
        PurgePlan.runs(page, p, new PurgePlan.Holds(Set.of("frozen"), Set.of("held")), NOW);
    assertThat(runs)
        .extracting(PurgePlan.Run::from, PurgePlan.Run::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 2L),
            org.assertj.core.groups.Tuple.tuple(4L, 5L),
            org.assertj.core.groups.Tuple.tuple(8L, 8L),
            org.assertj.core.groups.Tuple.tuple(10L, 10L));
    assertThat(runs.get(1).lastHash()).containsExactly(5);
    assertThat(runs.get(1).count()).isEqualTo(2);
    assertThat(PurgePlan.runs(page, p, PurgePlan.Holds.NONE, NOW.minus(Duration.ofDays(3650))))
        .isEmpty();
  }

  record Scheduled(long initialDelay, long delay) {}

  static ScheduledExecutorService recording(List<Scheduled> calls) {
    return (ScheduledExecutorService)
        Proxy.newProxyInstance(
            RetentionTest.class.getClassLoader(),
            new Class<?>[] {ScheduledExecutorService.class},
            (proxy, method, args) -> {
              if (method.getName().equals("scheduleWithFixedDelay")) {
                assertThat(args[3]).isEqualTo(TimeUnit.MILLISECONDS);
                calls.add(new Scheduled((Long) args[1], (Long) args[2]));
                return Proxy.newProxyInstance(
                    RetentionTest.class.getClassLoader(),
                    new Class<?>[] {ScheduledFuture.class},
                    (p, m, a) -> m.getReturnType() == boolean.class ? Boolean.TRUE : null);
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void theJobsAreScheduledAsConfiguredAndZeroDisablesOne() {
    List<Scheduled> calls = new ArrayList<>();
    AuditScheduler scheduler = new AuditScheduler();
    scheduler.schedule(
        recording(calls),
        settings(
            Map.of(
                AuditScheduler.PURGE_INTERVAL, "PT12H",
                AuditScheduler.PURGE_INITIAL_DELAY, "PT1M",
                AuditScheduler.CHECKPOINT_INTERVAL, "PT30S",
                AuditScheduler.REWRAP_INTERVAL, "PT1H")));
    assertThat(calls)
        .containsExactly(
            new Scheduled(60_000, 12 * 3_600_000L),
            new Scheduled(30_000, 30_000),
            new Scheduled(3_600_000, 3_600_000));
    scheduler.stop();

    calls.clear();
    scheduler.schedule(
        recording(calls),
        settings(
            Map.of(AuditScheduler.PURGE_INTERVAL, "PT0S", AuditScheduler.REWRAP_INTERVAL, "PT0S")));
    assertThat(calls).containsExactly(new Scheduled(300_000, 300_000));

    calls.clear();
    scheduler.schedule(recording(calls), settings(Map.of()));
    assertThat(calls)
        .containsExactly(
            new Scheduled(600_000, 24 * 3_600_000L),
            new Scheduled(300_000, 300_000),
            new Scheduled(24 * 3_600_000L, 24 * 3_600_000L));
  }
}
