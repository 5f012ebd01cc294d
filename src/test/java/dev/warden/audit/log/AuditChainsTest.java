package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.chain.BreakReason;
import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.VerificationResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A log partitioned into chains ({@link AuditChains}), on an in-memory H2 database per test: an
 * append takes a chain no other transaction holds; verification, checkpoints and purges cover every
 * chain and name the chain of a break.
 */
class AuditChainsTest {
  private SeAuditStack stack;
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  @BeforeEach
  void open() {
    SeAuditStack.Db db =
        SeAuditStack.Db.h2("warden_chains_" + UUID.randomUUID().toString().replace("-", ""));
    stack = new SeAuditStack(db, 3, new SeAuditStack.Keys(), 0).chains(3);
  }

  @AfterEach
  void close() {
    other.shutdownNow();
    stack.close();
  }

  @Test
  void anAppendTakesAChainNoOtherTransactionHolds() throws Exception {
    ChainRecord first = stack.appendCall("s1", "{\"q\":1}", "{\"a\":1}");
    assertThat(chainOf(first)).isEqualTo(1);

    ChainRecord meanwhile = whileChainOneIsHeld(() -> stack.appendCall("s2", "{\"q\":2}", "{}"));
    ChainRecord after = stack.appendCall("s3", "{\"q\":3}", "{\"a\":3}");

    assertThat(chainOf(meanwhile)).isEqualTo(2);
    assertThat(meanwhile.sequence()).isEqualTo(1);
    assertThat(chainOf(after)).isEqualTo(1);
    assertThat(after.sequence()).isEqualTo(2);
    assertThat(heads()).containsExactly(2L, 1L, 0L);
    VerificationResult result = stack.verify();
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.recordsChecked()).isEqualTo(3);
  }

  @Test
  void checkpointsVouchForEveryChainAndAreVerified() throws Exception {
    stack.appendCall("s1", "{\"q\":1}", "{}");
    whileChainOneIsHeld(() -> stack.appendCall("s2", "{\"q\":2}", "{}"));

    List<Checkpoint> made = stack.checkpoints();

    assertThat(made).extracting(Checkpoint::chain).containsExactly(1, 2);
    assertThat(made).extracting(Checkpoint::chains).containsOnly(3);
    VerificationResult result = stack.verify();
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.checkpointsChecked()).isEqualTo(2);
  }

  @Test
  void aRecordChangedInTheSecondChainIsNamedWithItsChain() throws Exception {
    stack.appendCall("s1", "{\"q\":1}", "{}");
    ChainRecord second = whileChainOneIsHeld(() -> stack.appendCall("s2", "{\"q\":2}", "{}"));
    sql(
        "update audit_record set principal = 'edited' where record_id = '"
            + second.recordId()
            + "'");

    ChainBreak b = stack.verify().firstBreak().orElseThrow();

    assertThat(b.reason()).isEqualTo(BreakReason.CONTENT_MODIFIED);
    assertThat(b.chain()).isEqualTo(2);
    assertThat(b.sequence()).isEqualTo(1);
    assertThat(b.recordId()).contains(second.recordId());
    assertThat(b.toString()).contains("chain 2");
  }

  @Test
  void aWholeChainDeletedIsNamedByTheCheckpointsOfTheOthers() throws Exception {
    stack.appendCall("s1", "{\"q\":1}", "{}");
    whileChainOneIsHeld(() -> stack.appendCall("s2", "{\"q\":2}", "{}"));
    stack.checkpoints();
    assertThat(stack.verify().intact()).isTrue();

    // every trace of chain 3 (empty) and of chain 2: records, checkpoints and heads
    sql("delete from audit_record where chain >= 2");
    sql("delete from audit_checkpoint where chain >= 2");
    sql("delete from audit_chain_head where id >= 2");

    ChainBreak b = stack.verify().firstBreak().orElseThrow();
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b.chain()).isEqualTo(2);
    assertThat(b.detail()).contains("vouches for 3 chains");
  }

  @Test
  void recordsOfAChainWithoutAHeadAreNamed() throws Exception {
    stack.appendCall("s1", "{\"q\":1}", "{}");
    ChainRecord second = whileChainOneIsHeld(() -> stack.appendCall("s2", "{\"q\":2}", "{}"));
    sql("update audit_record set chain = 9 where record_id = '" + second.recordId() + "'");
    sql(
        "update audit_chain_head set seq = 0, hash = X'"
            + "00".repeat(32)
            + "', mac = null"
            + " where id = 2");

    ChainBreak b = stack.verify().firstBreak().orElseThrow();

    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_INSERTED);
    assertThat(b.chain()).isEqualTo(9);
  }

  @Test
  void aPurgeDeletesExpiredRecordsOfEveryChainAndTheLogStillVerifies() throws Exception {
    stack.appendCall("s1", "{\"q\":1}", "{}");
    whileChainOneIsHeld(() -> stack.appendCall("s2", "{\"q\":2}", "{}"));
    stack.appendCall("s3", "{\"q\":3}", "{}");
    Instant later = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MICROS);
    RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(1), Map.of());

    long deleted = 0;
    for (int chain : stack.transaction(em -> store(em).chains())) {
      deleted +=
          stack.transaction(em -> store(em).purgeBatch(chain, policy, later, 0, 100)).deleted();
    }

    assertThat(deleted).isEqualTo(3);
    List<String> ranges =
        stack.transaction(
            em ->
                em
                    .createQuery(
                        "select p.chain, p.from, p.to from PurgedRange p order by p.chain",
                        Object[].class)
                    .getResultList()
                    .stream()
                    .map(r -> r[0] + ":" + r[1] + "-" + r[2])
                    .toList());
    assertThat(ranges).containsExactly("1:1-2", "2:1-1");
    ChainRecord next = stack.appendCall("s4", "{\"q\":4}", "{}");
    assertThat(next.sequence()).isEqualTo(3);
    VerificationResult result = stack.verify();
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.purgedRangesChecked()).isEqualTo(2);
  }

  private RetentionStore store(jakarta.persistence.EntityManager em) {
    RetentionStore store = new RetentionStore();
    store.em = em;
    store.signer = stack.signer();
    return store;
  }

  /** Runs {@code append} while another transaction holds chain 1's head. */
  private <T> T whileChainOneIsHeld(Supplier<T> append) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holder =
        other.submit(
            () ->
                stack.transaction(
                    em -> {
                      ChainAppender.lockHead(em, 1);
                      held.countDown();
                      try {
                        release.await(30, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return null;
                    }));
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
    try {
      return append.get();
    } finally {
      release.countDown();
      holder.get(30, TimeUnit.SECONDS);
    }
  }

  private int chainOf(ChainRecord r) {
    return stack.transaction(em -> em.find(AuditRecord.class, r.recordId()).getChain());
  }

  private List<Long> heads() {
    return stack.transaction(
        em ->
            em.createQuery("select h.sequence from ChainHead h order by h.id", Long.class)
                .getResultList());
  }

  private void sql(String statement) {
    stack.transaction(em -> em.createNativeQuery(statement).executeUpdate());
  }
}
