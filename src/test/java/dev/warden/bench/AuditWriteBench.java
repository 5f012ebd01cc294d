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
 * Audit write benchmark (a {@code main}, not a test; run {@code src/test/bench/audit-write.sh}).
 * Appends records through the real record building (per-subject AEAD of request and answer,
 * canonical encoding) and the real {@code ChainAppender} on Hibernate, each in its own transaction,
 * as a call does. Prints per-record write latency (p50/p99) with one writer, which is what auditing
 * adds to a call, and records/s with concurrent writers. Args: {@code h2|postgresql [writers...]}.
 */
public final class AuditWriteBench {
  private AuditWriteBench() {}

  static final String REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
          + "Summarise the attached meeting notes for <PERSON_1> and send them to <EMAIL_1>. "
              .repeat(6)
          + "\"}]}";
  static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\""
          + "Here is the summary of the meeting, point by point. ".repeat(8)
          + "\"}}]}";

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "h2";
    int[] writers =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 4, 8, 16};
    SeAuditStack.Db db =
        kind.equals("postgresql")
            ? SeAuditStack.Db.freshPostgres("warden_audit_bench")
            : SeAuditStack.Db.h2("warden_audit_bench");
    int maxWriters = Arrays.stream(writers).max().orElse(1);
    SeAuditStack.Keys keysets = new SeAuditStack.Keys();
    for (int maxBatch : new int[] {0, 64}) {
      System.out.printf(
          "%s, %s%n",
          kind,
          maxBatch == 0 ? "one transaction per record" : "group commit (up to 64 per transaction)");
      bench(kind, writers, new SeAuditStack(db, maxWriters, keysets, maxBatch));
    }
  }

  static void bench(String kind, int[] writers, SeAuditStack opened) throws Exception {
    try (SeAuditStack stack = opened) {
      // warm-up: JIT, pool, subject keys
      run(stack, 4, 500);
      long[] single = run(stack, 1, 2000).latencies;
      Arrays.sort(single);
      System.out.printf(
          "%s  1 writer   per-record write latency  p50 %.3f ms  p99 %.3f ms  (%d records)%n",
          kind,
          single[single.length / 2] / 1e6,
          single[(int) (single.length * 0.99)] / 1e6,
          single.length);
      for (int w : writers) {
        int perWriter = Math.max(500, 4000 / w);
        Run r = run(stack, w, perWriter);
        long[] l = r.latencies;
        Arrays.sort(l);
        System.out.printf(
            "%s %2d writers  %7.0f records/s  latency p50 %.3f ms  p99 %.3f ms  (%d records)%n",
            kind,
            w,
            l.length / (r.nanos / 1e9),
            l[l.length / 2] / 1e6,
            l[(int) (l.length * 0.99)] / 1e6,
            l.length);
      }
      long t0 = System.nanoTime();
      VerificationResult v = stack.verify();
      System.out.printf("%s verify: %s in %.0f ms%n", kind, v, (System.nanoTime() - t0) / 1e6);
    }
  }

  record Run(long[] latencies, long nanos) {}

  /** One writer: once {@code start} opens, appends {@code count} records; their latencies. */
  static java.util.concurrent.Callable<long[]> writer(
      SeAuditStack stack, String subject, int count, CountDownLatch start) {
    return () -> {
      long[] lat = new long[count];
      start.await();
      for (int i = 0; i < count; i++) {
        long t = System.nanoTime();
        stack.appendCall(subject, REQUEST, ANSWER);
        lat[i] = System.nanoTime() - t;
      }
      return lat;
    };
  }

  static Run run(SeAuditStack stack, int writers, int perWriter) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      futures.add(pool.submit(writer(stack, "bench-subject-" + (w % 8), perWriter, start)));
    }
    long t0 = System.nanoTime();
    start.countDown();
    long[] all = new long[writers * perWriter];
    int k = 0;
    for (Future<long[]> f : futures) {
      long[] lat = f.get(10, TimeUnit.MINUTES);
      System.arraycopy(lat, 0, all, k, lat.length);
      k += lat.length;
    }
    long nanos = System.nanoTime() - t0;
    pool.shutdown();
    return new Run(all, nanos);
  }
}
