package dev.warden.cost;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Many callers on one budget row, each reserving the worst case in one transaction and settling (or
 * releasing) in another, as {@link Budgets} does; through one or several independent data sources.
 */
final class BudgetHammer {

  /** What the hammering did. */
  record Result(int admitted, int refused, BigDecimal settledSum, BudgetStore.Row row) {}

  static final String SCOPE = "user";
  static final String PERIOD = "daily";

  private BudgetHammer() {}

  /**
   * {@code calls} calls spread round-robin over {@code sources}, {@code threads} at a time; each
   * reserves {@code reserve} under {@code limit} and, if admitted, settles {@code actual} (a call
   * whose index is a multiple of {@code failEvery} releases instead, as a failed call does).
   */
  static Result run(
      List<DataSource> sources,
      String subject,
      int calls,
      int threads,
      BigDecimal reserve,
      BigDecimal actual,
      BigDecimal limit,
      int failEvery)
      throws Exception {
    LocalDate day = LocalDate.of(2026, 1, 1);
    String id = SCOPE + "|" + subject + "|" + PERIOD + "|" + day;
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<BigDecimal> settled = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        DataSource ds = sources.get(i % sources.size());
        boolean fails = failEvery > 0 && i % failEvery == 0;
        Callable<Void> call =
            () -> {
              start.await();
              boolean ok;
              try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                BudgetStore.ensure(c, id, SCOPE, subject, PERIOD, day);
                ok = BudgetStore.reserve(c, id, reserve, limit);
                c.commit();
              }
              if (!ok) {
                refused.incrementAndGet();
                return null;
              }
              admitted.incrementAndGet();
              BigDecimal spent = fails ? BigDecimal.ZERO : actual;
              try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                BudgetStore.settle(c, id, reserve, spent);
                c.commit();
              }
              synchronized (settled) {
                settled.add(spent);
              }
              return null;
            };
        futures.add(pool.submit(call));
      }
      start.countDown();
      for (Future<Void> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    BudgetStore.Row row;
    try (Connection c = sources.get(0).getConnection()) {
      row = BudgetStore.read(c, id).orElseThrow(() -> new SQLException("no budget row " + id));
    }
    BigDecimal sum = settled.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    return new Result(admitted.get(), refused.get(), sum, row);
  }
}
