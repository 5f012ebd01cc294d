package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.SeAuditStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Two Warden "servers" sharing one database: two independent persistence stacks (each its own
 * Hibernate EntityManagerFactory and JDBC connection pool, the real entities and {@code
 * ChainAppender}) append concurrently to one chain; afterwards it verifies from either stack, with
 * every sequence number exactly once and no fork. Runs outside the container, in both CI passes: on
 * PostgreSQL ({@code db.kind=postgresql}, a fresh {@code warden_audit_shared} database: the real
 * case, two pools to one server) and on H2 (one in-memory database shared by two pools in this JVM,
 * the same locking protocol).
 */
class AuditSharedDatabaseIT {
  static final int WRITERS_PER_SERVER = 4;
  static final int RECORDS_PER_WRITER = 60;

  @Test
  void twoServersAppendConcurrentlyToOneChainWithoutForks() throws Exception {
    boolean postgres = "postgresql".equals(System.getProperty("db.kind"));
    SeAuditStack.Db db =
        postgres
            ? SeAuditStack.Db.freshPostgres("warden_audit_shared")
            : SeAuditStack.Db.h2("warden_audit_shared");
    SeAuditStack.Keys keys = new SeAuditStack.Keys();
    try (SeAuditStack serverA = new SeAuditStack(db, WRITERS_PER_SERVER, keys);
        SeAuditStack serverB = new SeAuditStack(db, WRITERS_PER_SERVER, keys)) {
      ExecutorService pool = Executors.newFixedThreadPool(2 * WRITERS_PER_SERVER);
      List<Future<Integer>> writers = new ArrayList<>();
      for (int w = 0; w < 2 * WRITERS_PER_SERVER; w++) {
        SeAuditStack server = w % 2 == 0 ? serverA : serverB;
        String subject = "subject-" + (w % 3);
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < RECORDS_PER_WRITER; i++) {
                    server.appendCall(subject, "{\"prompt\":" + i + "}", "{\"answer\":" + i + "}");
                  }
                  return RECORDS_PER_WRITER;
                }));
      }
      int written = 0;
      for (Future<Integer> f : writers) {
        written += f.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
      int expected = 2 * WRITERS_PER_SERVER * RECORDS_PER_WRITER;
      assertEquals(expected, written);

      assertEquals(
          LongStream.rangeClosed(1, expected).boxed().toList(),
          serverB.sequences(),
          "every sequence number exactly once: no gap, no fork");
      for (SeAuditStack server : List.of(serverA, serverB)) {
        VerificationResult result = server.verify();
        assertTrue(result.intact(), result.toString());
        assertEquals(expected, result.recordsChecked());
        assertEquals(expected, result.head().sequence());
      }
    }
  }
}
