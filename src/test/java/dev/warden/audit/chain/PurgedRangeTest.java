package dev.warden.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.crypto.Keysets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention with gaps: purged ranges bridge them, and tampering around them is still named. */
class PurgedRangeTest {
  static final Instant T0 = ChainVerifierTest.T0;

  final CheckpointSigner signer = CheckpointSigner.of(Keysets.generateMac());
  final ChainVerifier verifier = new ChainVerifier(signer);
  InMemoryChain chain;

  @BeforeEach
  void twelveRecords() {
    chain = new InMemoryChain();
    for (int i = 1; i <= 12; i++) {
      chain.append("r" + i, ChainVerifierTest.content(i));
    }
  }

  VerificationResult verify(List<ChainRecord> records) {
    return verifier.verify(records, chain.checkpoints(), chain.purged());
  }

  static TreeSet<Long> seqs(long... values) {
    TreeSet<Long> set = new TreeSet<>();
    for (long v : values) {
      set.add(v);
    }
    return set;
  }

  @Test
  void gapsLeftByHeldRecordsAreBridged() {
    // 5 and 6 are held, 9 not yet expired
    List<PurgedRange> made = chain.purge(seqs(1, 2, 3, 4, 7, 8, 10), signer, T0);
    assertThat(made)
        .extracting(PurgedRange::from, PurgedRange::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 4L),
            org.assertj.core.groups.Tuple.tuple(7L, 8L),
            org.assertj.core.groups.Tuple.tuple(10L, 10L));
    VerificationResult result = verify(chain.records());
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.recordsChecked()).isEqualTo(5);
    assertThat(result.purgedRangesChecked()).isEqualTo(3);
    assertThat(result.head()).isEqualTo(chain.head());
  }

  @Test
  void adjacentPurgesChainAndCheckpointsInsideARangeStillCount() {
    chain.checkpoint(signer, T0); // at 12
    chain.purge(seqs(3, 4), signer, T0);
    chain.purge(seqs(5, 6, 12), signer, T0.plusSeconds(60));
    chain.append("r13", ChainVerifierTest.content(13));
    VerificationResult result = verify(chain.records());
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.purgedRangesChecked()).isEqualTo(3);
    assertThat(result.checkpointsChecked()).isEqualTo(1);
  }

  @Test
  void deletingARecordNextToAGapIsNamed() {
    chain.purge(seqs(3, 4), signer, T0);
    List<ChainRecord> records = chain.records();
    records.removeIf(r -> r.sequence() == 5);
    ChainBreak b = ChainVerifierTest.broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b.sequence()).isEqualTo(5);

    records = chain.records();
    records.removeIf(r -> r.sequence() == 2);
    b = ChainVerifierTest.broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b.sequence()).isEqualTo(2);
  }

  @Test
  void editingAKeptRecordAfterAPurgeIsNamed() {
    chain.purge(seqs(1, 2, 3), signer, T0);
    List<ChainRecord> records = new ArrayList<>(chain.records());
    ChainRecord r6 = records.get(2);
    assertThat(r6.sequence()).isEqualTo(6);
    records.set(2, ChainVerifierTest.copy(r6, 6, ChainVerifierTest.content(99)));
    ChainBreak b = ChainVerifierTest.broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.CONTENT_MODIFIED);
    assertThat(b.sequence()).isEqualTo(6);
    assertThat(b.recordId()).contains("r6");
  }

  @Test
  void aRangeForgedToHideADeletionIsNamed() {
    CheckpointSigner attacker = CheckpointSigner.of(Keysets.generateMac());
    List<ChainRecord> records = chain.records();
    byte[] before = records.get(6).hash(); // record 7
    byte[] after = records.get(7).hash(); // record 8
    records.removeIf(r -> r.sequence() == 8);
    PurgedRange forged = attacker.signPurge(8, 8, before, after, T0);
    ChainBreak b = ChainVerifierTest.broken(verifier.verify(records, List.of(), List.of(forged)));
    assertThat(b.reason()).isEqualTo(BreakReason.CHECKPOINT_FORGED);
    assertThat(b.sequence()).isEqualTo(8);
  }

  @Test
  void aRangeThatDoesNotFollowItsPredecessorIsNamed() {
    List<ChainRecord> records = chain.records();
    byte[] wrongBefore = records.get(0).hash(); // record 1, not record 3
    byte[] after = records.get(3).hash();
    records.removeIf(r -> r.sequence() == 4);
    PurgedRange range = signer.signPurge(4, 4, wrongBefore, after, T0);
    ChainBreak b = ChainVerifierTest.broken(verifier.verify(records, List.of(), List.of(range)));
    assertThat(b.reason()).isEqualTo(BreakReason.CHECKPOINT_MISMATCH);
    assertThat(b.sequence()).isEqualTo(3);
  }

  @Test
  void aRecordPutBackIntoAPurgedRangeIsNamed() {
    List<ChainRecord> all = chain.records();
    chain.purge(seqs(4, 5, 6), signer, T0);
    List<ChainRecord> records = chain.records();
    records.add(3, all.get(4)); // record 5 reappears
    ChainBreak b = ChainVerifierTest.broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_INSERTED);
    assertThat(b.sequence()).isEqualTo(5);
  }

  @Test
  void aCheckpointPastARangeAtTheEndStillVouchesForTheTail() {
    chain.purge(seqs(12), signer, T0);
    chain.checkpoint(signer, T0); // the head is still 12
    VerificationResult result = verify(chain.records());
    assertThat(result.intact()).as(result.toString()).isTrue();
    List<ChainRecord> records = chain.records();
    records.removeIf(r -> r.sequence() == 11);
    ChainBreak b = ChainVerifierTest.broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b.sequence()).isEqualTo(11);
  }

  @Test
  void theSignedHeadNamesADeletedTailAndAMovedHead() {
    ChainHead head = chain.head();
    byte[] mac = signer.signHead(head);
    VerificationResult ok = verifier.verify(chain.records(), List.of(), List.of(), head, mac);
    assertThat(ok.intact()).as(ok.toString()).isTrue();

    List<ChainRecord> records = chain.records();
    records.removeIf(r -> r.sequence() >= 11);
    ChainBreak b =
        ChainVerifierTest.broken(verifier.verify(records, List.of(), List.of(), head, mac));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b.sequence()).isEqualTo(11);

    // moved back to record 10 without the key: the MAC does not fit
    ChainHead moved = records.get(records.size() - 1).head();
    b = ChainVerifierTest.broken(verifier.verify(records, List.of(), List.of(), moved, mac));
    assertThat(b.reason()).isEqualTo(BreakReason.HEAD_MISMATCH);
    assertThat(b.sequence()).isEqualTo(10);

    // an unsigned head is only accepted for an empty chain
    b = ChainVerifierTest.broken(verifier.verify(records, List.of(), List.of(), moved, null));
    assertThat(b.reason()).isEqualTo(BreakReason.HEAD_MISMATCH);
    assertThat(verifier.verify(List.of(), List.of(), List.of(), ChainHead.GENESIS, null).intact())
        .isTrue();

    // a record appended without moving the head
    InMemoryChain longer = new InMemoryChain();
    for (ChainRecord r : chain.records()) {
      longer.append(r.recordId(), r.content());
    }
    longer.append("r13", ChainVerifierTest.content(13));
    b =
        ChainVerifierTest.broken(
            verifier.verify(longer.records(), List.of(), List.of(), head, mac));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_INSERTED);
    assertThat(b.sequence()).isEqualTo(13);
  }

  @Test
  void aPurgeMacCoversEveryField() {
    PurgedRange r = signer.signPurge(2, 3, new byte[32], new byte[32], T0);
    assertThat(signer.verify(r)).isTrue();
    assertThat(signer.verify(new PurgedRange(2, 4, new byte[32], new byte[32], T0, r.seal())))
        .isFalse();
    assertThat(
            signer.verify(
                new PurgedRange(2, 3, new byte[32], new byte[32], T0.plusSeconds(1), r.seal())))
        .isFalse();
    assertThat(r.count()).isEqualTo(2);
    assertThatThrownBy(() -> new PurgedRange(3, 2, new byte[32], new byte[32], T0, r.seal()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
