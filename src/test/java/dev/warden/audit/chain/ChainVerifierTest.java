package dev.warden.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.crypto.Keysets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
  static final Instant T0 = Instant.parse("2025-05-01T10:00:00Z");

  final CheckpointSigner signer = CheckpointSigner.of(Keysets.generateMac());
  final ChainVerifier verifier = new ChainVerifier(signer);
  InMemoryChain chain;

  static CanonicalRecord content(int i) {
    return CanonicalRecord.builder()
        .string("id", "r" + i)
        .instant("created_at", T0.plusSeconds(i))
        .string("principal", "app-" + (i % 3))
        .string("model", "gpt-4o-mini")
        .bytes("prompt_ct", new byte[] {1, (byte) i, 2})
        .number("tokens", 100 + i)
        .build();
  }

  @BeforeEach
  void tenRecordsWithACheckpointAtFive() {
    chain = new InMemoryChain();
    for (int i = 1; i <= 10; i++) {
      chain.append("r" + i, content(i));
      if (i == 5) {
        chain.checkpoint(signer, T0.plusSeconds(i));
      }
    }
  }

  VerificationResult verify(List<ChainRecord> records) {
    return verifier.verify(records, chain.checkpoints());
  }

  static ChainBreak broken(VerificationResult result) {
    assertThat(result.intact()).as("intact").isFalse();
    return result.firstBreak().orElseThrow();
  }

  static ChainRecord copy(ChainRecord r, long seq, CanonicalRecord content) {
    return new ChainRecord(seq, r.recordId(), r.previousHash(), r.hash(), content);
  }

  @Test
  void anUntouchedChainVerifies() {
    VerificationResult result = verify(chain.records());
    assertThat(result.intact()).isTrue();
    assertThat(result.recordsChecked()).isEqualTo(10);
    assertThat(result.checkpointsChecked()).isEqualTo(1);
    assertThat(result.head()).isEqualTo(chain.head());
    assertThat(result.anchor()).isEmpty();
    assertThat(result.toString()).startsWith("intact");
  }

  @Test
  void anEditedFieldIsNamed() {
    List<ChainRecord> records = chain.records();
    ChainRecord r7 = records.get(6);
    CanonicalRecord edited =
        CanonicalRecord.builder()
            .string("id", "r7")
            .instant("created_at", T0.plusSeconds(7))
            .string("principal", "app-1")
            .string("model", "gpt-4o-mini")
            .bytes("prompt_ct", new byte[] {1, 7, 2})
            .number("tokens", 1) // was 107
            .build();
    records.set(6, copy(r7, 7, edited));

    ChainBreak b = broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.CONTENT_MODIFIED);
    assertThat(b.sequence()).isEqualTo(7);
    assertThat(b.recordId()).hasValue("r7");
    assertThat(verify(records).recordsChecked()).isEqualTo(6);
  }

  @Test
  void anEditedSequenceNumberOrStoredHashIsNamed() {
    List<ChainRecord> records = chain.records();
    ChainRecord r3 = records.get(2);
    byte[] hash = r3.hash();
    hash[0] ^= 1;
    records.set(2, new ChainRecord(3, "r3", r3.previousHash(), hash, r3.content()));
    ChainBreak b = broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.CONTENT_MODIFIED);
    assertThat(b.sequence()).isEqualTo(3);
  }

  @Test
  void aDeletedRecordIsNamedByTheGap() {
    List<ChainRecord> records = chain.records();
    records.remove(3); // seq 4

    ChainBreak b = broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b.sequence()).isEqualTo(4);
    assertThat(b.recordId()).isEmpty();
  }

  @Test
  void aDeletedRecordWithTheRestRenumberedBreaksTheLink() {
    List<ChainRecord> records = chain.records();
    records.remove(3);
    List<ChainRecord> renumbered = new ArrayList<>();
    for (ChainRecord r : records) {
      renumbered.add(r.sequence() > 4 ? copy(r, r.sequence() - 1, r.content()) : r);
    }
    ChainBreak b = broken(verify(renumbered));
    assertThat(b.reason()).isEqualTo(BreakReason.LINK_BROKEN);
    assertThat(b.sequence()).isEqualTo(4);
    assertThat(b.recordId()).hasValue("r5");
  }

  @Test
  void twoSwappedRecordsAreNamed() {
    List<ChainRecord> records = chain.records();
    ChainRecord r6 = records.get(5);
    ChainRecord r7 = records.get(6);
    // UPDATE ... SET seq = ... on both rows: r7 now reads as 6, r6 as 7
    records.set(5, copy(r7, 6, r7.content()));
    records.set(6, copy(r6, 7, r6.content()));

    ChainBreak b = broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORDS_REORDERED);
    assertThat(b.sequence()).isEqualTo(6);
    assertThat(b.recordId()).hasValue("r7");
  }

  @Test
  void swappedContentsOfTwoRowsAreAnEdit() {
    List<ChainRecord> records = chain.records();
    ChainRecord r2 = records.get(1);
    ChainRecord r3 = records.get(2);
    records.set(1, new ChainRecord(2, "r2", r2.previousHash(), r2.hash(), r3.content()));
    records.set(2, new ChainRecord(3, "r3", r3.previousHash(), r3.hash(), r2.content()));
    ChainBreak b = broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.CONTENT_MODIFIED);
    assertThat(b.sequence()).isEqualTo(2);
  }

  @Test
  void aRecordInsertedInTheMiddleIsNamed() {
    List<ChainRecord> records = chain.records();
    // the attacker links the forged record properly and renumbers everything after it
    ChainRecord forged = ChainHasher.next(records.get(3).head(), "forged", content(99));
    List<ChainRecord> tampered = new ArrayList<>(records.subList(0, 4));
    tampered.add(forged);
    for (ChainRecord r : records.subList(4, 10)) {
      tampered.add(copy(r, r.sequence() + 1, r.content()));
    }
    ChainBreak b = broken(verifier.verify(tampered, List.of()));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_INSERTED);
    assertThat(b.sequence()).isEqualTo(5);
    assertThat(b.recordId()).hasValue("forged");
  }

  @Test
  void aRecordInsertedWithADuplicateSequenceIsNamed() {
    List<ChainRecord> records = chain.records();
    ChainRecord forged = ChainHasher.next(records.get(7).head(), "forged", content(99)); // seq 9
    records.add(9, forged); // after the real 9
    ChainBreak b = broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.DUPLICATE_SEQUENCE);
    assertThat(b.sequence()).isEqualTo(9);
    assertThat(b.recordId()).hasValue("forged");
  }

  @Test
  void aForgedCheckpointMacIsNamed() {
    Checkpoint real = chain.checkpoints().get(0);
    byte[] mac = real.seal();
    mac[mac.length - 1] ^= 1;
    Checkpoint forged = new Checkpoint(real.sequence(), real.hash(), real.createdAt(), mac);

    ChainBreak b = broken(verifier.verify(chain.records(), List.of(forged)));
    assertThat(b.reason()).isEqualTo(BreakReason.CHECKPOINT_FORGED);
    assertThat(b.sequence()).isEqualTo(5);

    // a checkpoint MACed with a key that is not ours
    CheckpointSigner attacker = CheckpointSigner.of(Keysets.generateMac());
    Checkpoint foreign = attacker.sign(chain.records().get(7).head(), T0);
    assertThat(broken(verifier.verify(chain.records(), List.of(real, foreign))).reason())
        .isEqualTo(BreakReason.CHECKPOINT_FORGED);
    // a valid checkpoint moved to another sequence
    Checkpoint moved = new Checkpoint(6, real.hash(), real.createdAt(), real.seal());
    assertThat(broken(verifier.verify(chain.records(), List.of(moved))).reason())
        .isEqualTo(BreakReason.CHECKPOINT_FORGED);
  }

  @Test
  void aChainRewrittenBehindACheckpointIsCaught() {
    // edit record 3 and recompute every hash from there: only the checkpoint can tell
    List<ChainRecord> records = chain.records();
    List<ChainRecord> rewritten = new ArrayList<>(records.subList(0, 2));
    ChainHead head = records.get(1).head();
    for (int i = 3; i <= 10; i++) {
      CanonicalRecord c = i == 3 ? content(33) : content(i);
      ChainRecord r = ChainHasher.next(head, "r" + i, c);
      rewritten.add(r);
      head = r.head();
    }
    assertThat(verifier.verify(rewritten, List.of()).intact()).isTrue();

    ChainBreak b = broken(verify(rewritten));
    assertThat(b.reason()).isEqualTo(BreakReason.CHECKPOINT_MISMATCH);
    assertThat(b.sequence()).isEqualTo(5);
  }

  @Test
  void verifiesAfterAPurgeThatStartsFromACheckpoint() {
    chain.purgeThrough(5, signer, T0.plusSeconds(60));
    chain.append("r11", content(11));

    VerificationResult result = verify(chain.records());
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.recordsChecked()).isEqualTo(6);
    assertThat(result.anchor()).map(Checkpoint::sequence).hasValue(5L);
    assertThat(result.head()).isEqualTo(chain.head());
  }

  @Test
  void purgingToABoundaryWithoutCheckpointCreatesOne() {
    chain.purgeThrough(7, signer, T0.plusSeconds(60));
    VerificationResult result = verify(chain.records());
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.anchor()).map(Checkpoint::sequence).hasValue(7L);
    assertThat(result.checkpointsChecked()).isEqualTo(2);
  }

  @Test
  void deletingOldRecordsWithoutAnAnchorIsNamed() {
    List<ChainRecord> records = chain.records().subList(3, 10); // 1..3 gone, no checkpoint at 3
    ChainBreak b = broken(verifier.verify(records, List.of()));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b.sequence()).isEqualTo(1);

    List<ChainRecord> pastCheckpoint = chain.records().subList(7, 10); // 1..7 gone, checkpoint at 5
    ChainBreak b2 = broken(verify(pastCheckpoint));
    assertThat(b2.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b2.sequence()).isEqualTo(6);
  }

  @Test
  void aPurgeAnchoredByAForgedCheckpointFails() {
    List<ChainRecord> records = chain.records().subList(5, 10);
    Checkpoint real = chain.checkpoints().get(0);
    Checkpoint forged =
        new Checkpoint(5, real.hash(), real.createdAt().plusSeconds(1), real.seal());
    ChainBreak b = broken(verifier.verify(records, List.of(forged)));
    assertThat(b.reason()).isEqualTo(BreakReason.CHECKPOINT_FORGED);
  }

  @Test
  void aTruncatedTailIsNamedWhenACheckpointVouchesForIt() {
    chain.checkpoint(signer, T0.plusSeconds(20)); // at 10
    List<ChainRecord> records = chain.records().subList(0, 8);
    ChainBreak b = broken(verify(records));
    assertThat(b.reason()).isEqualTo(BreakReason.RECORD_MISSING);
    assertThat(b.sequence()).isEqualTo(9);
  }

  @Test
  void anEmptyChainVerifiesWhenEverythingWasPurged() {
    VerificationResult none = verifier.verify(List.of(), List.of());
    assertThat(none.intact()).isTrue();
    assertThat(none.head()).isEqualTo(ChainHead.GENESIS);

    VerificationResult purged = verifier.verify(List.of(), chain.checkpoints());
    assertThat(purged.intact()).isTrue();
    assertThat(purged.head().sequence()).isEqualTo(5);
  }

  @Test
  void checkpointsSurviveMacKeyRotationAndDatabasePrecision() {
    var macKeys = Keysets.generateMac();
    CheckpointSigner before = CheckpointSigner.of(macKeys);
    Checkpoint old =
        before.sign(chain.records().get(4).head(), Instant.parse("2025-05-01T10:00:00.123456789Z"));
    assertThat(old.createdAt()).isEqualTo(Instant.parse("2025-05-01T10:00:00.123456Z"));

    CheckpointSigner after = CheckpointSigner.of(Keysets.rotate(macKeys));
    assertThat(after.verify(old)).isTrue();
    assertThat(before.verify(after.sign(1, new byte[32], T0))).isFalse();
    assertThat(new ChainVerifier(after).verify(chain.records(), List.of(old)).intact()).isTrue();
  }

  @Test
  void checkpointsMayComeInAnyOrder() {
    chain.checkpoint(signer, T0.plusSeconds(30));
    List<Checkpoint> cps = chain.checkpoints();
    Collections.reverse(cps);
    assertThat(verifier.verify(chain.records(), cps).intact()).isTrue();
  }

  @Test
  void theHashCoversSequencePreviousHashAndContent() {
    byte[] h = ChainHasher.hash(1, new byte[32], content(1));
    assertThat(h).hasSize(32).isEqualTo(ChainHasher.hash(1, new byte[32], content(1)));
    assertThat(ChainHasher.hash(2, new byte[32], content(1))).isNotEqualTo(h);
    byte[] other = new byte[32];
    other[31] = 1;
    assertThat(ChainHasher.hash(1, other, content(1))).isNotEqualTo(h);
    assertThat(ChainHasher.hash(1, new byte[32], content(2))).isNotEqualTo(h);
    assertThat(chain.records().get(0).previousHash()).isEqualTo(new byte[32]);
  }

  @Test
  void theFirstChainKeepsTheHashOfRecordsWrittenBeforeChainsAndOtherChainsHashTheirNumber()
      throws Exception {
    // the layout of the first chain, written out: version 1, sequence, previous hash, content
    java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
    d.update((byte) 1);
    d.update(java.nio.ByteBuffer.allocate(8).putLong(7).array());
    d.update(new byte[32]);
    d.update(content(1).encoded());
    assertThat(ChainHasher.hash(1, 7, new byte[32], content(1))).isEqualTo(d.digest());
    assertThat(ChainHasher.hash(7, new byte[32], content(1)))
        .isEqualTo(ChainHasher.hash(ChainHasher.FIRST_CHAIN, 7, new byte[32], content(1)));
    byte[] second = ChainHasher.hash(2, 7, new byte[32], content(1));
    assertThat(second).isNotEqualTo(ChainHasher.hash(1, 7, new byte[32], content(1)));
    assertThat(second).isNotEqualTo(ChainHasher.hash(3, 7, new byte[32], content(1)));
  }

  @Test
  void aChainVerifiesAsItselfAndNotAsAnother() {
    List<ChainRecord> records = new ArrayList<>();
    ChainHead head = ChainHead.GENESIS;
    for (int i = 1; i <= 3; i++) {
      ChainRecord r = ChainHasher.next(2, head, "r" + i, content(i));
      records.add(r);
      head = r.head();
    }
    Checkpoint cp = signer.sign(2, 2, head, T0);

    VerificationResult asItself =
        new ChainVerifier(signer, 2).verify(records, List.of(cp), List.of(), head, null);
    assertThat(asItself.intact()).isFalse(); // no head MAC: only the genesis head may lack one
    asItself =
        new ChainVerifier(signer, 2)
            .verify(records, List.of(cp), List.of(), head, signer.signHead(2, head));
    assertThat(asItself.intact()).as(asItself.toString()).isTrue();
    assertThat(asItself.checkpointsChecked()).isEqualTo(1);

    ChainBreak asFirst = broken(new ChainVerifier(signer).verify(records, List.of()));
    assertThat(asFirst.reason()).isEqualTo(BreakReason.CONTENT_MODIFIED);
    assertThat(asFirst.chain()).isEqualTo(1);
    assertThat(asFirst.sequence()).isEqualTo(1);

    ChainBreak otherChainsCheckpoint =
        broken(new ChainVerifier(signer, 3).verify(List.of(), List.of(cp)));
    assertThat(otherChainsCheckpoint.reason()).isEqualTo(BreakReason.CHECKPOINT_FORGED);
    assertThat(otherChainsCheckpoint.chain()).isEqualTo(3);
    assertThat(otherChainsCheckpoint.toString()).startsWith("CHECKPOINT_FORGED at chain 3, ");

    assertThat(signer.verifyHead(2, head, signer.signHead(2, head))).isTrue();
    assertThat(signer.verifyHead(3, head, signer.signHead(2, head))).isFalse();
    assertThat(signer.verifyHead(head, signer.signHead(2, head))).isFalse();
  }

  @Test
  void theSealCoversTheChainAndTheNumberOfChains() {
    Checkpoint cp = signer.sign(2, 3, 5, new byte[32], T0);
    assertThat(signer.verify(cp)).isTrue();
    assertThat(signer.verify(new Checkpoint(3, 3, 5, new byte[32], T0, cp.sealKind(), cp.seal())))
        .isFalse();
    assertThat(signer.verify(new Checkpoint(2, 2, 5, new byte[32], T0, cp.sealKind(), cp.seal())))
        .isFalse();
    // a checkpoint of a log with one chain says so under its seal
    Checkpoint one = signer.sign(new ChainHead(5, new byte[32]), T0);
    assertThat(one.chain()).isEqualTo(1);
    assertThat(one.chains()).isEqualTo(1);
    assertThat(signer.verify(new Checkpoint(5, new byte[32], T0, one.sealKind(), one.seal())))
        .isFalse();

    PurgedRange r = signer.signPurge(2, 1, 4, new byte[32], new byte[32], T0);
    assertThat(signer.verify(r)).isTrue();
    assertThat(
            signer.verify(
                new PurgedRange(1, 1, 4, new byte[32], new byte[32], T0, r.sealKind(), r.seal())))
        .isFalse();
  }
}
