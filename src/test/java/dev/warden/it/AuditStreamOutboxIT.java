package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.chain.VerificationResult;
import dev.warden.audit.log.SeAuditStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream outbox's recovery path (#4, item 7) on the real entities, {@code ChainAppender} and
 * migration V7, outside the container, on H2 and (pass {@code db.kind=postgresql}, a fresh {@code
 * warden_audit_outbox<db.name suffix>} database) PostgreSQL: a stream's record replaces its pending
 * row; a server recovers only its own rows from before its start, as FAILED records with error
 * {@code ServerInterrupted}; two servers recovering the same rows at once write one record each.
 */
class AuditStreamOutboxIT {

  static SeAuditStack.Db db;
  static final SeAuditStack.Keys KEYS = new SeAuditStack.Keys();
  static SeAuditStack serverA;
  static SeAuditStack serverB;

  @BeforeAll
  static void database() throws Exception {
    db =
        "postgresql".equals(System.getProperty("db.kind"))
            ? SeAuditStack.Db.freshPostgres(
                AuditKillIT.auditDatabase("outbox", System.getProperty("db.name", "warden")))
            : SeAuditStack.Db.h2("warden_audit_outbox");
    serverA = new SeAuditStack(db, 4, KEYS);
    serverB = new SeAuditStack(db, 4, KEYS);
  }

  @AfterAll
  static void close() {
    serverA.close();
    serverB.close();
  }

  private static String requestId() {
    return "wrd_" + UUID.randomUUID().toString().replace("-", "");
  }

  private static Map<String, List<List<String>>> recordsByRequest() {
    return serverA.records().stream().collect(Collectors.groupingBy(r -> r.get(0)));
  }

  @Test
  void aStreamThatEndsReplacesItsPendingRowInOneTransaction() {
    String id = requestId();
    long before = serverA.pendingCount();
    serverA.addPending("host-a:/srv/a", id, Instant.now());
    assertThat(serverA.pendingCount()).isEqualTo(before + 1);

    serverA.appendStreamEnd(id);

    assertThat(serverA.pendingCount()).isEqualTo(before);
    assertThat(recordsByRequest().get(id))
        .containsExactly(java.util.Arrays.asList(id, "SUCCEEDED", null, "true"));
    // nothing left to recover: the stream has exactly its own record
    assertThat(serverA.recoverInterrupted("host-a:/srv/a", Instant.now().plusSeconds(1))).isZero();
    assertThat(recordsByRequest().get(id)).hasSize(1);
  }

  @Test
  void aServerRecoversItsOwnRowsFromBeforeItsStartAsInterruptedStreams() {
    Instant start = Instant.now();
    String mine = requestId();
    String another = requestId();
    String mineAfterStart = requestId();
    serverA.addPending("host-r:/srv/mine", mine, start.minus(Duration.ofMinutes(1)));
    serverA.addPending("host-r:/srv/other", another, start.minus(Duration.ofMinutes(1)));
    serverA.addPending("host-r:/srv/mine", mineAfterStart, start.plusMillis(1));

    assertThat(serverA.recoverInterrupted("host-r:/srv/mine", start)).isEqualTo(1);

    Map<String, List<List<String>>> records = recordsByRequest();
    assertThat(records.get(mine))
        .containsExactly(List.of(mine, "FAILED", "ServerInterrupted", "true"));
    assertThat(records).doesNotContainKeys(another, mineAfterStart);
    // recovering again finds nothing: the row went with its record
    assertThat(serverA.recoverInterrupted("host-r:/srv/mine", start)).isZero();
    assertThat(recordsByRequest().get(mine)).hasSize(1);
    VerificationResult chain = serverB.verify();
    assertThat(chain.intact()).as(chain.toString()).isTrue();
  }

  @Test
  void twoServersRecoveringTheSameRowsAtOnceWriteOneRecordEach() throws Exception {
    Instant start = Instant.now();
    String owner = "host-t:/srv/twice";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = requestId();
      ids.add(id);
      serverA.addPending(owner, id, start.minusSeconds(60));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> runs = new ArrayList<>();
    for (SeAuditStack server : List.of(serverA, serverB)) {
      runs.add(
          pool.submit(
              () -> {
                go.await();
                return server.recoverInterrupted(owner, start);
              }));
    }
    go.countDown();
    int recovered = 0;
    for (Future<Integer> run : runs) {
      recovered += run.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();

    assertThat(recovered).isEqualTo(ids.size());
    Map<String, List<List<String>>> records = recordsByRequest();
    assertThat(ids)
        .allSatisfy(
            id ->
                assertThat(records.get(id))
                    .as(id)
                    .containsExactly(List.of(id, "FAILED", "ServerInterrupted", "true")));
    VerificationResult chain = serverA.verify();
    assertThat(chain.intact()).as(chain.toString()).isTrue();
    assertThat(serverA.sequences())
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, chain.head().sequence()).boxed().toList());
  }
}
