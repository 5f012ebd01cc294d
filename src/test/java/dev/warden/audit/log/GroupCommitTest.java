package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.chain.CanonicalRecord;
import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  /** An in-memory chain that appends a batch atomically; batch sizes are recorded. */
  static final class Chain implements GroupCommit.BatchAppender {
    ChainHead head = ChainHead.GENESIS;
    final List<Long> sequences = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    volatile CountDownLatch gate;
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public List<ChainRecord> append(List<GroupCommit.Entry> entries) {
      CountDownLatch g = gate;
      if (g != null) {
        gate = null;
        entered.countDown();
        try {
          g.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (this) {
        if (entries.stream().anyMatch(e -> e.record().recordId.startsWith("bad"))) {
          throw new IllegalStateException("constraint violated");
        }
        List<ChainRecord> out = new ArrayList<>();
        for (GroupCommit.Entry e : entries) {
          ChainRecord r = ChainHasher.next(head, e.record().recordId, e.content());
          head = r.head();
          sequences.add(r.sequence());
          out.add(r);
        }
        batchSizes.add(entries.size());
        return out;
      }
    }
  }

  static GroupCommit.Entry entry(String id) {
    AuditRecord r = new AuditRecord();
    r.recordId = id;
    return new GroupCommit.Entry(r, CanonicalRecord.builder().string("id", id).build());
  }

  @Test
  void concurrentCallersShareTransactionsAndEveryRecordIsAppendedOnce() throws Exception {
    Chain chain = new Chain();
    GroupCommit group = new GroupCommit(chain, 64);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 250; i++) {
                  ChainRecord r = group.append(entry("r-" + thread + "-" + i));
                  assertThat(r.recordId()).isEqualTo("r-" + thread + "-" + i);
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get(1, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(chain.sequences)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 2000).boxed().toList());
    assertThat(chain.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2000);
    assertThat(group.queued()).isZero();
  }

  @Test
  void waitingRecordsGoInOneBatchAndABadOneFailsOnlyItsOwnCall() throws Exception {
    Chain chain = new Chain();
    GroupCommit group = new GroupCommit(chain, 64);
    CountDownLatch release = new CountDownLatch(1);
    chain.gate = release;
    ExecutorService pool = Executors.newFixedThreadPool(6);
    Future<ChainRecord> first = pool.submit(() -> group.append(entry("first")));
    // the first batch is being written (and held) before the others arrive
    assertThat(chain.entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<ChainRecord>> rest = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = i == 2 ? "bad-" + i : "ok-" + i;
      rest.add(pool.submit(() -> group.append(entry(id))));
    }
    while (group.queued() < 4) {
      Thread.onSpinWait(); // the four wait behind the first batch
    }
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).sequence()).isEqualTo(1);
    for (int i = 0; i < 4; i++) {
      Future<ChainRecord> f = rest.get(i);
      if (i == 2) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IllegalStateException.class);
      } else {
        assertThat(f.get(10, TimeUnit.SECONDS).recordId()).isEqualTo("ok-" + i);
      }
    }
    pool.shutdown();
    // batch 1: "first" alone; the four queued behind it went as one batch, which failed on the bad
    // record, then one transaction each
    assertThat(chain.batchSizes).containsExactly(1, 1, 1, 1);
    assertThat(chain.sequences).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aFailureOfTheWholeBatchFailsEveryCallInItWithoutOneTransactionEach() throws Exception {
    Chain chain = new Chain();
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    GroupCommit group =
        new GroupCommit(
            entries -> {
              attempts.add(entries.size());
              if (entries.get(0).record().recordId.equals("first")) {
                entered.countDown();
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return chain.append(entries);
              }
              // the database away for longer than the retry window: the batch went to the journal
              throw new AuditKeptException(entries.size(), new IllegalStateException("away"));
            },
            64);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    Future<ChainRecord> first = pool.submit(() -> group.append(entry("first")));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<ChainRecord>> rest = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "kept-" + i;
      rest.add(pool.submit(() -> group.append(entry(id))));
    }
    while (group.queued() < 3) {
      Thread.onSpinWait();
    }
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).sequence()).isEqualTo(1);
    for (Future<ChainRecord> f : rest) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(AuditKeptException.class);
    }
    pool.shutdown();
    assertThat(attempts).containsExactly(1, 3);
  }
}
