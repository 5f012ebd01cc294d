package dev.warden.bench;

import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.SeAuditStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Audit capacity with one and with two servers on one PostgreSQL (a {@code main}, not a test; run
 * {@code src/test/bench/audit-servers.sh}). A "server" is a persistence stack of its own (its own
 * Hibernate, connection pool and group commit, as a Liberty server has), all appending to the one
 * chain in {@code warden_audit_servers} on 127.0.0.1:5432, created afresh. Each server runs the
 * same number of writers (a call's record each: per-subject AEAD, canonical encoding, the real
 * {@code ChainAppender}); the program prints the records/s of all servers together, then verifies
 * the chain. Args: {@code [writers per server] [records per writer]} (default 8 and 1,000).
 */
public final class AuditServersBench {
  private AuditServersBench() {}

  public static void main(String[] args) throws Exception {
    int writers = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int perWriter = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    SeAuditStack.Db db = SeAuditStack.Db.freshPostgres("warden_audit_servers");
    SeAuditStack.Keys keysets = new SeAuditStack.Keys();
    System.out.printf(
        "| servers | writers | records | records/s | p50 / p99 per record |%n| --- | --- | --- | ---"
            + " | --- |%n");
    // one server with W writers, one with 2W (the load of two), two with W each
    int[][] runs = {{1, writers}, {1, 2 * writers}, {2, writers}};
    for (int[] run : runs) {
      int servers = run[0];
      int each = run[1];
      List<SeAuditStack> stacks = new ArrayList<>();
      try {
        for (int s = 0; s < servers; s++) {
          stacks.add(new SeAuditStack(db, each, keysets, 64));
        }
        run(stacks, each, 200); // warm-up: JIT, pools, subject keys
        long t0 = System.nanoTime();
        long[] latencies = run(stacks, each, perWriter);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(latencies);
        System.out.printf(
            "| %d | %d | %,d | %,.0f | %.2f / %.2f ms |%n",
            servers,
            servers * each,
            latencies.length,
            latencies.length / seconds,
            latencies[latencies.length / 2] / 1e6,
            latencies[(int) (latencies.length * 0.99)] / 1e6);
        if (servers == 2) {
          long t1 = System.nanoTime();
          VerificationResult v = stacks.get(0).verify();
          System.out.printf(
              "%nthe one chain both appended to: %s (verified in %.0f ms)%n",
              v, (System.nanoTime() - t1) / 1e6);
        }
      } finally {
        for (SeAuditStack s : stacks) {
          s.close();
        }
      }
    }
  }

  /** Every server's writers at once; the latency of each record appended. */
  private static long[] run(List<SeAuditStack> stacks, int writers, int perWriter)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(stacks.size() * writers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<long[]>> futures = new ArrayList<>();
      for (SeAuditStack stack : stacks) {
        for (int w = 0; w < writers; w++) {
          futures.add(
              pool.submit(
                  AuditWriteBench.writer(stack, "bench-subject-" + (w % 8), perWriter, start)));
        }
      }
      start.countDown();
      long[] all = new long[futures.size() * perWriter];
      int k = 0;
      for (Future<long[]> f : futures) {
        long[] lat = f.get(10, TimeUnit.MINUTES);
        System.arraycopy(lat, 0, all, k, lat.length);
        k += lat.length;
      }
      return all;
    } finally {
      pool.shutdown();
    }
  }
}
