package dev.warden.bench;

import dev.warden.audit.log.AuditMigrations;
import dev.warden.audit.log.SeAuditStack;
import dev.warden.cost.BudgetStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What recoverable budget holds cost a call (a {@code main}, not a test; run {@code
 * src/test/bench/holds.sh}): the reservation and the settlement of one budget, each one transaction
 * as in the server, without and with the hold row ({@code cost_budget_hold}: an insert in the
 * reservation's transaction, a delete in the settlement's). Prints the time per call (both
 * transactions) at p50 and p99 with one writer, and calls/s with 8 writers each on a budget of its
 * own. Args: {@code h2|postgresql [calls]}.
 */
public final class HoldsBench {
  private HoldsBench() {}

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "postgresql";
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    SeAuditStack.Db db =
        kind.equals("postgresql")
            ? SeAuditStack.Db.freshPostgres("warden_audit_holds")
            : SeAuditStack.Db.h2("warden_audit_holds");
    DataSource ds = dataSource(db);
    AuditMigrations.migrateNow(ds);
    for (boolean holds : new boolean[] {false, true, false, true}) { // the first two warm up
      long[] one = run(db, 1, calls, holds);
      Arrays.sort(one);
      long t0 = System.nanoTime();
      int eight = run(db, 8, calls / 8, holds).length;
      double perSecond = eight / ((System.nanoTime() - t0) / 1e9);
      System.out.printf(
          "%s, %s: 1 writer p50 %.3f ms, p99 %.3f ms per call (reserve + settle); 8 writers %.0f"
              + " calls/s%n",
          kind,
          holds ? "with hold rows   " : "without hold rows",
          one[one.length / 2] / 1e6,
          one[(int) (one.length * 0.99)] / 1e6,
          perSecond);
    }
    for (int round = 0; round < 2; round++) { // the first warms up
      long[] one = pendingRows(db, calls);
      Arrays.sort(one);
      if (round == 1) {
        System.out.printf(
            "%s, a call's pending row (insert, then delete, each committed): 1 writer p50 %.3f ms,"
                + " p99 %.3f ms per call%n",
            kind, one[one.length / 2] / 1e6, one[(int) (one.length * 0.99)] / 1e6);
      }
    }
  }

  /** {@code n} calls' pending rows: each inserted and committed, then deleted and committed. */
  private static long[] pendingRows(SeAuditStack.Db db, int n) throws SQLException {
    long[] times = new long[n];
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      c.setAutoCommit(false);
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        String id = "wrd_" + UUID.randomUUID();
        try (PreparedStatement insert =
            c.prepareStatement(
                "insert into audit_stream_pending (request_id, owner, operation, entry_point,"
                    + " principal, tenant, requested_model, started_at, streamed)"
                    + " values (?, 'bench-server', 'chat.completions', 'V1', 'bench', 'default',"
                    + " 'gpt-4o-mini', ?, false)")) {
          insert.setString(1, id);
          insert.setTimestamp(2, Timestamp.from(Instant.now()));
          insert.executeUpdate();
        }
        c.commit();
        try (PreparedStatement delete =
            c.prepareStatement("delete from audit_stream_pending where request_id = ?")) {
          delete.setString(1, id);
          delete.executeUpdate();
        }
        c.commit();
        times[i] = System.nanoTime() - t0;
      }
    }
    return times;
  }

  private static long[] run(SeAuditStack.Db db, int writers, int perWriter, boolean holds)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String budget = "key:bench-" + UUID.randomUUID() + ":daily:" + LocalDate.now();
        futures.add(pool.submit(() -> calls(db, budget, perWriter, holds)));
      }
      List<Long> all = new ArrayList<>();
      for (Future<long[]> f : futures) {
        for (long t : f.get()) {
          all.add(t);
        }
      }
      return all.stream().mapToLong(Long::longValue).toArray();
    } finally {
      pool.shutdown();
    }
  }

  /** {@code n} calls' reservation and settlement on {@code budget}; their times. */
  private static long[] calls(SeAuditStack.Db db, String budget, int n, boolean holds)
      throws SQLException {
    BigDecimal worst = new BigDecimal("0.001");
    BigDecimal actual = new BigDecimal("0.0004");
    BigDecimal limit = new BigDecimal("1000000");
    long[] times = new long[n];
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      c.setAutoCommit(false);
      BudgetStore.ensure(c, budget, "key", "bench", "daily", LocalDate.now());
      c.commit();
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        String hold = UUID.randomUUID().toString();
        BudgetStore.reserve(c, budget, worst, limit);
        if (holds) {
          BudgetStore.insertHold(c, hold, "bench-server", budget, worst, null);
        }
        c.commit();
        if (holds) {
          BudgetStore.deleteHold(c, hold);
        }
        BudgetStore.settle(c, budget, worst, actual);
        c.commit();
        times[i] = System.nanoTime() - t0;
      }
    }
    return times;
  }

  private static DataSource dataSource(SeAuditStack.Db db) {
    if (db.url().startsWith("jdbc:h2:")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(db.url());
      h2.setUser(db.user());
      return h2;
    }
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(db.url());
    pg.setUser(db.user());
    pg.setPassword(db.password());
    return pg;
  }
}
