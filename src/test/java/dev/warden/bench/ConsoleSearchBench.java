package dev.warden.bench;

import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.AuditSearch;
import dev.warden.audit.log.SeAuditStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The console's audit search on a large log (a {@code main}, not a test; run {@code
 * src/test/bench/console-search.sh}). Seeds a fresh PostgreSQL database ({@code
 * warden_audit_console_bench} on 127.0.0.1:5432) with {@code N} audit records (default 1,000,000)
 * through the real record building and chain appender, spread over the last 30 days across 200
 * principals, 5 tenants, 4 models, prompts, PII types, guard actions and outcomes; analyzes the
 * table (as autovacuum would); then times the search the console's search page runs ({@link
 * AuditSearch#search}, a page of 50 plus one, exactly what {@code GET /api/audit} executes) for
 * typical filters, and the chain verification rate. Prints p50/p95 per filter. Arguments: {@code
 * [records] [repetitions per filter]}.
 */
public final class ConsoleSearchBench {
  private ConsoleSearchBench() {}

  static final String[] MODELS = {
    "gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini", "gpt-4.1", "gpt-4o", "o4-mini"
  };
  static final String REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
          + "Summarise the ticket for <PERSON_1> and reply to <EMAIL_1>. ".repeat(3)
          + "\"}]}";
  static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\""
          + "Here is a short summary of the ticket. ".repeat(4)
          + "\"}}]}";

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant start = now.minus(Duration.ofDays(30));
    SeAuditStack.Db db = SeAuditStack.Db.freshPostgres("warden_audit_console_bench");
    int writers = 8;
    try (SeAuditStack stack = new SeAuditStack(db, writers + 2, new SeAuditStack.Keys(), 64)) {
      long t0 = System.nanoTime();
      List<String> requestIds = seed(stack, records, writers, start, now);
      double seedSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "seeded %,d records in %.0f s (%,.0f records/s, %d writers, group commit)%n",
          records, seedSeconds, records / seedSeconds, writers);
      // the planner's statistics, as PostgreSQL's autovacuum keeps them on a live table (without
      // them it guesses a handful of rows per filter and sorts tens of thousands)
      try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
          Statement s = c.createStatement()) {
        s.execute("analyze audit_record");
      }

      SplittableRandom random = new SplittableRandom(7);
      Instant week = now.minus(Duration.ofDays(7));
      Instant month = start;
      List<Case> cases =
          List.of(
              new Case(
                  "last 7 days, no filter",
                  i -> q(week, now, null, null, null, null, null, null, null, false)),
              new Case(
                  "principal, 7 days",
                  i -> q(week, now, principal(random), null, null, null, null, null, null, false)),
              new Case(
                  "principal, 30 days",
                  i -> q(month, now, principal(random), null, null, null, null, null, null, false)),
              new Case(
                  "tenant, 30 days",
                  i ->
                      q(
                          month,
                          now,
                          null,
                          "tenant-" + random.nextInt(5),
                          null,
                          null,
                          null,
                          null,
                          null,
                          false)),
              new Case(
                  "model gpt-4.1, 7 days",
                  i -> q(week, now, null, null, "gpt-4.1", null, null, null, null, false)),
              new Case(
                  "outcome FAILED, 30 days",
                  i -> q(month, now, null, null, null, "FAILED", null, null, null, false)),
              new Case(
                  "PII type PHONE, 30 days",
                  i -> q(month, now, null, null, null, null, "PHONE", null, null, false)),
              new Case(
                  "guard action BLOCK, 30 days",
                  i -> q(month, now, null, null, null, null, null, "BLOCK", null, false)),
              new Case("prompt id and version, 30 days", i -> prompt(month, now, "1.2.0")),
              new Case(
                  "request id, 30 days",
                  i -> request(month, now, requestIds.get(random.nextInt(requestIds.size())))),
              new Case(
                  "oldest first, 30 days",
                  i -> q(month, now, null, null, null, null, null, null, null, true)),
              new Case(
                  "principal and outcome FAILED, 30 days",
                  i ->
                      q(
                          month,
                          now,
                          principal(random),
                          null,
                          null,
                          "FAILED",
                          null,
                          null,
                          null,
                          false)));
      System.out.printf(
          "%n| search (a page of 50) | p50 ms | p95 ms | max ms | rows |%n| --- | --- | --- | --- | --- |%n");
      for (Case c : cases) {
        for (int i = 0; i < 3; i++) {
          stack.search(c.query.apply(i), 0, 51);
        }
        long[] nanos = new long[repetitions];
        int rows = 0;
        for (int i = 0; i < repetitions; i++) {
          AuditSearch.Query query = c.query.apply(i);
          long t = System.nanoTime();
          int found = stack.search(query, 0, 51).size();
          nanos[i] = System.nanoTime() - t;
          rows = Math.max(rows, Math.min(found, 50));
        }
        Arrays.sort(nanos);
        System.out.printf(
            "| %s | %.1f | %.1f | %.1f | %d |%n",
            c.name,
            nanos[repetitions / 2] / 1e6,
            nanos[(int) Math.ceil(repetitions * 0.95) - 1] / 1e6,
            nanos[repetitions - 1] / 1e6,
            rows);
      }
      long[] deep = new long[repetitions];
      for (int i = 0; i < repetitions; i++) {
        long t = System.nanoTime();
        stack.search(q(week, now, null, null, null, null, null, null, null, false), 1000, 51);
        deep[i] = System.nanoTime() - t;
      }
      Arrays.sort(deep);
      System.out.printf(
          "| page 21 (offset 1,000), 7 days | %.1f | %.1f | %.1f | 50 |%n",
          deep[repetitions / 2] / 1e6,
          deep[(int) Math.ceil(repetitions * 0.95) - 1] / 1e6,
          deep[repetitions - 1] / 1e6);

      long v0 = System.nanoTime();
      VerificationResult result = stack.verify();
      double verifySeconds = (System.nanoTime() - v0) / 1e9;
      System.out.printf(
          "%nverification: %s, %,d records in %.1f s: %,.0f records/s%n",
          result.intact() ? "intact" : "BROKEN " + result.firstBreak(),
          result.recordsChecked(),
          verifySeconds,
          result.recordsChecked() / verifySeconds);
    }
  }

  record Case(String name, Function<Integer, AuditSearch.Query> query) {}

  static String principal(SplittableRandom random) {
    return String.format("user-%03d", random.nextInt(200));
  }

  static AuditSearch.Query q(
      Instant from,
      Instant to,
      String principal,
      String tenant,
      String model,
      String outcome,
      String pii,
      String guard,
      String requestId,
      boolean oldestFirst) {
    return new AuditSearch.Query(
        from,
        to,
        principal,
        tenant,
        model,
        outcome,
        null,
        null,
        null,
        null,
        requestId,
        pii,
        guard,
        oldestFirst);
  }

  static AuditSearch.Query prompt(Instant from, Instant to, String version) {
    return new AuditSearch.Query(
        from,
        to,
        null,
        null,
        null,
        null,
        "support-reply",
        version,
        null,
        null,
        null,
        null,
        null,
        false);
  }

  static AuditSearch.Query request(Instant from, Instant to, String requestId) {
    return q(from, to, null, null, null, null, null, null, requestId, false);
  }

  /** Appends {@code records} records spread evenly over [start, end); answers a sample of ids. */
  static List<String> seed(SeAuditStack stack, int records, int writers, Instant start, Instant end)
      throws Exception {
    long span = Duration.between(start, end).toMillis();
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<List<String>>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      futures.add(
          pool.submit(
              () -> {
                List<String> sample = new ArrayList<>();
                for (long i = next.getAndIncrement(); i < records; i = next.getAndIncrement()) {
                  long n = i;
                  SplittableRandom r = new SplittableRandom(n * 31 + 1);
                  String subject = "subject-" + r.nextInt(5000);
                  String requestId = "req-" + n;
                  stack.appendCall(
                      subject,
                      REQUEST,
                      ANSWER,
                      shape(r, requestId, start.plusMillis(span * n / records)));
                  if (n % 997 == 0) {
                    sample.add(requestId);
                  }
                  long d = done.incrementAndGet();
                  if (d % 100_000 == 0) {
                    System.out.printf("  %,d records%n", d);
                  }
                }
                return sample;
              }));
    }
    List<String> ids = new ArrayList<>();
    for (Future<List<String>> f : futures) {
      ids.addAll(f.get(3, TimeUnit.HOURS));
    }
    pool.shutdown();
    return ids;
  }

  /** A call's metadata with the proportions of a busy deployment. */
  static SeAuditStack.Shape shape(SplittableRandom random, String requestId, Instant at) {
    String model = MODELS[random.nextInt(MODELS.length)];
    int p = random.nextInt(100);
    String outcome = p < 5 ? "FAILED" : p < 6 ? "CANCELLED" : "SUCCEEDED";
    int pii = random.nextInt(100);
    int guard = random.nextInt(100);
    boolean prompted = random.nextInt(100) < 30;
    int entry = random.nextInt(100);
    return new SeAuditStack.Shape(
        at,
        requestId,
        String.format("user-%03d", random.nextInt(200)),
        "tenant-" + random.nextInt(5),
        model,
        outcome,
        p < 5 ? "upstream_error" : null,
        pii < 10 ? "EMAIL=1" : pii < 13 ? "EMAIL=1,PHONE=1" : pii < 15 ? "PHONE=2" : null,
        guard < 1 ? "BLOCK" : guard < 4 ? "FLAG" : "ALLOW",
        prompted ? "support-reply" : null,
        prompted ? "1." + random.nextInt(4) + ".0+sha256.0f3a" : null,
        random.nextInt(100) < 80 ? "chat.completions" : "responses",
        entry < 70 ? "V1" : entry < 90 ? "CDI" : "API",
        20 + random.nextInt(900));
  }
}
