package dev.warden.bench;

import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.AuditChains;
import dev.warden.audit.log.SeAuditStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Audit capacity with one and with two servers on one PostgreSQL (a {@code main}, not a test; run
 * {@code src/test/bench/audit-servers.sh}). A "server" is a persistence stack of its own (its own
 * Hibernate, connection pool and group commit, as a Liberty server has), all appending to the log
 * in {@code warden_audit_servers} on 127.0.0.1:5432, created afresh for each number of chains:
 * first one chain (every append of every server waits on its head), then the default {@value
 * AuditChains#DEFAULT_CHAINS} (an append takes a chain no one holds). Each server runs the same
 * number of writers (a call's record each: per-subject AEAD, canonical encoding, the real {@code
 * ChainAppender}); the program prints the records/s of all servers together, how the records spread
 * over the chains, and verifies the log. Args: {@code [writers per server] [records per writer]}
 * (default 8 and 1,000).
 */
public final class AuditServersBench {
  private AuditServersBench() {}

  public static void main(String[] args) throws Exception {
    int writers = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int perWriter = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    SeAuditStack.Keys keysets = new SeAuditStack.Keys();
    System.out.printf(
        "| chains | servers | writers | records | records/s | p50 / p99 per record | CPU per record:"
            + " servers / PostgreSQL | records per chain |%n| --- | --- | --- | --- | --- | --- | ---"
            + " | --- |%n");
    // a round that is not measured, so that neither number of chains runs with a colder JIT
    SeAuditStack.Db scratch = SeAuditStack.Db.freshPostgres("warden_audit_servers");
    try (SeAuditStack one = new SeAuditStack(scratch, writers, keysets).chains(2);
        SeAuditStack two = new SeAuditStack(scratch, writers, keysets).chains(2)) {
      for (int round = 0; round < 3; round++) {
        run(List.of(one), writers, perWriter);
        run(List.of(one, two), writers, perWriter);
      }
    }
    for (int chains : new int[] {1, AuditChains.DEFAULT_CHAINS}) {
      SeAuditStack.Db db = SeAuditStack.Db.freshPostgres("warden_audit_servers");
      // one server with W writers, one with 2W (the load of two), two with W each
      int[][] runs = {{1, writers}, {1, 2 * writers}, {2, writers}};
      for (int[] run : runs) {
        int servers = run[0];
        int each = run[1];
        List<SeAuditStack> stacks = new ArrayList<>();
        try {
          for (int s = 0; s < servers; s++) {
            stacks.add(new SeAuditStack(db, each, keysets, 64).chains(chains));
          }
          run(stacks, each, 200); // warm-up: JIT, pools, subject keys
          Map<Integer, Long> before = perChain(stacks.get(0));
          Map<Long, Long> pgBefore = GatewayBench.Proc.postgresTicks();
          long cpuBefore = GatewayBench.Proc.cpuTicks(ProcessHandle.current().pid());
          long t0 = System.nanoTime();
          long[] latencies = run(stacks, each, perWriter);
          double seconds = (System.nanoTime() - t0) / 1e9;
          double serversMs =
              ticksToMs(GatewayBench.Proc.cpuTicks(ProcessHandle.current().pid()) - cpuBefore)
                  / latencies.length;
          long pgTicks = 0;
          for (Map.Entry<Long, Long> e : GatewayBench.Proc.postgresTicks().entrySet()) {
            pgTicks += e.getValue() - pgBefore.getOrDefault(e.getKey(), 0L);
          }
          double pgMs = ticksToMs(pgTicks) / latencies.length;
          Map<Integer, Long> after = perChain(stacks.get(0));
          StringBuilder spread = new StringBuilder();
          after.forEach(
              (c, n) -> {
                long added = n - before.getOrDefault(c, 0L);
                if (added > 0) {
                  spread.append(spread.isEmpty() ? "" : ", ").append(c).append(": ").append(added);
                }
              });
          Arrays.sort(latencies);
          System.out.printf(
              "| %d | %d | %d | %,d | %,.0f | %.2f / %.2f ms | %.3f / %.3f ms | %s |%n",
              chains,
              servers,
              servers * each,
              latencies.length,
              latencies.length / seconds,
              latencies[latencies.length / 2] / 1e6,
              latencies[(int) (latencies.length * 0.99)] / 1e6,
              serversMs,
              pgMs,
              spread);
          if (servers == 2) {
            long t1 = System.nanoTime();
            VerificationResult v = stacks.get(0).verify();
            System.out.printf(
                "%nthe log both appended to (%d chains): %s (verified in %.0f ms)%n%n",
                chains, v, (System.nanoTime() - t1) / 1e6);
          }
        } finally {
          for (SeAuditStack s : stacks) {
            s.close();
          }
        }
      }
    }
  }

  private static double ticksToMs(long ticks) {
    return ticks * 1000.0 / GatewayBench.Proc.CLK_TCK;
  }

  /** How many records each chain holds. */
  private static Map<Integer, Long> perChain(SeAuditStack stack) {
    Map<Integer, Long> counts = new TreeMap<>();
    stack.transaction(
        em -> {
          for (Object[] row :
              em.createQuery(
                      "select r.chain, count(r) from AuditRecord r group by r.chain",
                      Object[].class)
                  .getResultList()) {
            counts.put(((Short) row[0]).intValue(), (Long) row[1]);
          }
          return null;
        });
    return counts;
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
