package dev.warden.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import dev.warden.crypto.Keysets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proofs are signed with Ed25519 when a signing key is there, and old MACed ones still verify. */
class CheckpointSignerTest {
  static final Instant T0 = Instant.parse("2026-05-01T08:00:00.123456Z");
  final KeysetHandle mac = Keysets.generateMac();
  final KeysetHandle signing = Keysets.generateSigning();
  final CheckpointSigner macOnly = CheckpointSigner.of(mac);
  final CheckpointSigner both = CheckpointSigner.of(mac, signing);
  final CheckpointSigner publicOnly =
      CheckpointSigner.verifying(
          Keysets.parseJson(Keysets.toPublicJson(signing), "the public key"));

  @Test
  void withASigningKeyCheckpointsAndPurgesAreSignedAndThePublicKeyChecksThem() {
    Checkpoint cp = both.sign(5, new byte[32], T0);
    PurgedRange range = both.signPurge(1, 4, new byte[32], new byte[32], T0);
    assertThat(cp.sealKind()).isEqualTo(SealKind.ED25519);
    assertThat(range.sealKind()).isEqualTo(SealKind.ED25519);
    assertThat(publicOnly.verify(cp)).isTrue();
    assertThat(publicOnly.verify(range)).isTrue();
    assertThat(both.verify(cp)).isTrue();
    // MAC-only signers, and other keys, cannot check a signature
    assertThat(macOnly.verify(cp)).isFalse();
    assertThat(
            CheckpointSigner.verifying(Keysets.generateSigning())
                .verify(new Checkpoint(5, new byte[32], T0, SealKind.ED25519, cp.seal())))
        .isFalse();
    // a moved checkpoint does not verify
    assertThat(publicOnly.verify(new Checkpoint(6, new byte[32], T0, SealKind.ED25519, cp.seal())))
        .isFalse();
  }

  @Test
  void checkpointsMacedBeforeTheSigningKeyKeepVerifyingWithTheMacKeyset() {
    Checkpoint old = macOnly.sign(3, new byte[32], T0);
    PurgedRange oldRange = macOnly.signPurge(1, 2, new byte[32], new byte[32], T0);
    assertThat(old.sealKind()).isEqualTo(SealKind.MAC);
    assertThat(both.verify(old)).isTrue();
    assertThat(both.verify(oldRange)).isTrue();
    // the public key cannot check a MAC, and says so before anything is walked
    assertThat(publicOnly.canCheck(SealKind.MAC)).isFalse();
    assertThat(publicOnly.verify(old)).isFalse();
    // and the chain verifier names it as a checkpoint that does not verify
    VerificationResult r = new ChainVerifier(publicOnly).verify(List.of(), List.of(old));
    assertThat(r.intact()).isFalse();
  }

  @Test
  void aSealCannotBePassedOffAsTheOtherKind() {
    Checkpoint signed = both.sign(3, new byte[32], T0);
    assertThat(both.verify(new Checkpoint(3, new byte[32], T0, SealKind.MAC, signed.seal())))
        .isFalse();
    Checkpoint maced = macOnly.sign(3, new byte[32], T0);
    assertThat(both.verify(new Checkpoint(3, new byte[32], T0, SealKind.ED25519, maced.seal())))
        .isFalse();
  }

  @Test
  void theHeadIsAlwaysMacedAndAPublicKeyCannotSealAnything() {
    ChainHead head = new ChainHead(9, new byte[32]);
    byte[] headMac = both.signHead(head);
    assertThat(macOnly.verifyHead(head, headMac)).isTrue();
    assertThat(publicOnly.verifyHead(head, headMac)).isFalse();
    assertThatThrownBy(() -> publicOnly.signHead(head)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> publicOnly.sign(1, new byte[32], T0))
        .isInstanceOf(IllegalStateException.class);
    assertThat(both.publicKeysetJson()).isPresent();
    assertThat(macOnly.publicKeysetJson()).isEmpty();
  }

  @Test
  void forCheckingTakesAPublicKeyAMacKeysetOrBoth() {
    Checkpoint signed = both.sign(3, new byte[32], T0);
    Checkpoint maced = macOnly.sign(3, new byte[32], T0);
    KeysetHandle pub = Keysets.parseJson(Keysets.toPublicJson(signing), "pub");
    CheckpointSigner combined = CheckpointSigner.forChecking(pub, mac);
    assertThat(combined.verify(signed)).isTrue();
    assertThat(combined.verify(maced)).isTrue();
    assertThat(CheckpointSigner.forChecking(mac).verify(signed)).isFalse();
    assertThat(CheckpointSigner.forChecking(pub).verify(maced)).isFalse();
    assertThatThrownBy(() -> CheckpointSigner.forChecking(Keysets.generateAead()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckpointSigner.forChecking(mac, Keysets.generateMac()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
