package dev.warden.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.crypto.Keysets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChainConcurrencyTest {

  @Test
  void manyWritersAppendingThroughTheHeadLockLeaveAVerifiableGaplessChain() throws Exception {
    CheckpointSigner signer = CheckpointSigner.of(Keysets.generateMac());
    InMemoryChain chain = new InMemoryChain();
    int threads = 16;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    // content is built outside the lock, as the design note requires
                    CanonicalRecord content =
                        CanonicalRecord.builder()
                            .string("id", thread + "-" + i)
                            .number("thread", thread)
                            .bytes("prompt_ct", new byte[] {(byte) thread, (byte) i})
                            .build();
                    chain.append(thread + "-" + i, content);
                    if (i % 100 == 0) {
                      chain.checkpoint(signer, Instant.now());
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<ChainRecord> records = chain.records();
    assertThat(records).hasSize(threads * perThread);
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).sequence()).isEqualTo(i + 1L);
    }
    assertThat(records.stream().map(ChainRecord::recordId).distinct()).hasSize(threads * perThread);
    VerificationResult result = new ChainVerifier(signer).verify(records, chain.checkpoints());
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.recordsChecked()).isEqualTo(threads * perThread);
    assertThat(result.checkpointsChecked()).isEqualTo(threads * 3);
  }
}
