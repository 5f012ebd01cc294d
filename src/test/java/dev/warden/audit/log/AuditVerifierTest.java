package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.VerificationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AuditVerifier} and {@link AuditCheckpoints} on an in-memory H2 database (one for the
 * class: the tests only add to its chain).
 */
class AuditVerifierTest {
  private static SeAuditStack.Db db;
  private static SeAuditStack stack;

  @BeforeAll
  static void open() {
    db = SeAuditStack.Db.h2("warden_verifier_" + UUID.randomUUID().toString().replace("-", ""));
    stack = new SeAuditStack(db, 2, new SeAuditStack.Keys());
  }

  @AfterAll
  static void close() {
    stack.close();
  }

  @Test
  void checkpointsOfTheHeadAreStoredOnceAndVerified() {
    VerificationResult before = stack.verify();
    ChainRecord last = stack.appendCall("s1", "{\"q\":1}", "{\"a\":1}");

    Checkpoint cp = stack.checkpoint().orElseThrow();
    assertThat(cp.sequence()).isEqualTo(last.sequence());
    assertThat(cp.hash()).isEqualTo(last.hash());
    assertThat(stack.checkpoint().orElseThrow().sequence()).isEqualTo(cp.sequence());
    stack.appendCall("s2", "{\"q\":2}", "{\"a\":2}");

    VerificationResult result = stack.verify();
    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.recordsChecked()).isEqualTo(before.recordsChecked() + 2);
    assertThat(result.checkpointsChecked()).isEqualTo(before.checkpointsChecked() + 1);
  }

  @Test
  void aChainSignedWithOtherKeysDoesNotVerify() {
    stack.appendCall("s3", "{\"q\":3}", "{\"a\":3}");
    assertThat(stack.verify().intact()).isTrue();

    try (SeAuditStack stranger = new SeAuditStack(db, 1, new SeAuditStack.Keys())) {
      VerificationResult result = stranger.verify();
      assertThat(result.intact()).isFalse();
      assertThat(result.firstBreak()).isPresent();
    }
  }

  @Test
  void aVerificationSaysHowFarItHasComeEveryThousandRecords() {
    while (stack.recordsToCheck() < 2 * AuditVerifier.PROGRESS_EVERY + 10) {
      stack.appendCall("p", "{\"q\":0}", "{\"a\":0}");
    }
    long total = stack.recordsToCheck();
    List<Long> told = new ArrayList<>();

    VerificationResult result = stack.verify(told::add);

    assertThat(result.intact()).as(result.toString()).isTrue();
    assertThat(result.recordsChecked()).isEqualTo(total);
    List<Long> expected = new ArrayList<>();
    for (long n = AuditVerifier.PROGRESS_EVERY; n <= total; n += AuditVerifier.PROGRESS_EVERY) {
      expected.add(n);
    }
    assertThat(told).hasSizeGreaterThanOrEqualTo(2).isEqualTo(expected);
  }
}
