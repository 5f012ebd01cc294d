package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.SealKind;
import dev.warden.crypto.Keysets;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link ExportVerifierTest} on an export signed with Ed25519 and checked with the
 * public key alone, which holds no secret and can seal nothing; plus what only signed exports have:
 * the zip the API hands out, a public key file, and exports that mix signed and MACed proofs.
 */
class SignedExportVerifierTest extends ExportVerifierTest {
  static final KeysetHandle MAC = Keysets.generateMac();
  static final KeysetHandle SIGNING = Keysets.generateSigning();

  static KeysetHandle publicKey() {
    return Keysets.parseJson(Keysets.toPublicJson(SIGNING), "the public key");
  }

  @Override
  KeysetHandle sealingKeyset() {
    return SIGNING;
  }

  @Override
  CheckpointSigner[] sealing() {
    return new CheckpointSigner[] {
      CheckpointSigner.of(MAC, SIGNING), CheckpointSigner.verifying(publicKey())
    };
  }

  @Test
  void theExportIsSignedAndThePublicKeyCanCheckButNotSign() throws Exception {
    export(1, 6, true);
    String manifest = Files.readString(dir.resolve(ExportFormat.MANIFEST));
    assertThat(manifest).contains("\"signature\":").doesNotContain("\"mac\":");
    assertThat(manifest).contains(ExportFormat.FORMAT);
    assertThat(lines()).allSatisfy(l -> assertThat(l).contains("\"content_signature\":"));
    assertThat(verify().ok()).isTrue();
    // the public keyset holds no private key: it cannot be made to sign
    assertThatThrownBy(() -> CheckpointSigner.of(MAC, publicKey()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(checker::sealKind).isInstanceOf(IllegalStateException.class);
    assertThat(checker.canCheck(SealKind.MAC)).as("the head's MAC, or any MAC").isFalse();
  }

  @Test
  void aSignatureRelabelledAsAMacDoesNotVerify() throws Exception {
    export(1, 6);
    Path manifest = dir.resolve(ExportFormat.MANIFEST);
    Files.writeString(manifest, Files.readString(manifest).replace("\"signature\":", "\"mac\":"));
    // the holder of the MAC keyset checks a MAC of version 1: the signed bytes say version 2
    ExportVerifier.Report report = ExportVerifier.verify(dir, CheckpointSigner.of(MAC, SIGNING));
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isZero();
    // and the public key cannot check a MAC at all
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.message()).contains("MAC keyset");
  }

  @Test
  void anotherSigningKeyDoesNotVerify() throws Exception {
    export(1, 6);
    ExportVerifier.Report report =
        ExportVerifier.verify(dir, CheckpointSigner.verifying(Keysets.generateSigning()));
    assertThat(report.ok()).isFalse();
    assertThat(report.message()).contains("signature does not verify");
  }

  @Test
  void aCheckpointMacedBeforeTheSigningKeyNeedsTheMacKeysetToo() throws Exception {
    // a chain checkpointed with the MAC keyset, then exported once the signing key was configured
    Checkpoint old = CheckpointSigner.of(MAC).sign(2, chain.get(1).hash, T0);
    assertThat(old.sealKind()).isEqualTo(SealKind.MAC);
    Checkpoint signed = signer.sign(4, chain.get(3).hash, T0);
    assertThat(signed.sealKind()).isEqualTo(SealKind.ED25519);
    SyntheticExport.write(dir, chain, null, signer, List.of(old, signed));
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.message()).contains("checkpoint at sequence 2").contains("MAC keyset");

    Path pub = dir.resolve("public.json");
    Path mac = dir.resolve("mac.json");
    Files.writeString(pub, Keysets.toPublicJson(SIGNING));
    Keysets.writeFile(mac, MAC, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        ExportVerifier.run(
            new String[] {dir.toString(), pub.toString(), mac.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("OK: 6 records")
        .contains("2 checkpoints");
  }

  @Test
  void theCommandReadsTheZipTheApiHandsOut() throws Exception {
    export(1, 6, true);
    Path pub = dir.resolve("public.json");
    Files.writeString(pub, Keysets.toPublicJson(SIGNING));
    Path zip = dir.resolve("export.zip");
    zip(zip, Files.readString(dir.resolve(ExportFormat.RECORDS)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(zip, pub, out, err)).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("OK: 6 records in 1 chain (chain 1: sequence 1 to 6)");

    zip(zip, Files.readString(dir.resolve(ExportFormat.RECORDS)).replace("hello rec-5", "hi"));
    out.reset();
    assertThat(run(zip, pub, out, err)).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("BROKEN: line 5: CONTENT_MODIFIED");

    // not a zip, no such file, not a key: unusable arguments, exit 2
    Path notZip = dir.resolve("not.zip");
    Files.writeString(notZip, "plain text");
    err.reset();
    assertThat(run(notZip, pub, out, err)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a readable zip");
    assertThat(run(dir.resolve("missing.zip"), pub, out, err)).isEqualTo(2);
    assertThat(run(zip, notZip, out, err)).isEqualTo(2);
  }

  private static int run(Path export, Path key, OutputStream out, OutputStream err) {
    return ExportVerifier.run(
        new String[] {export.toString(), key.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private void zip(Path zip, String records) throws Exception {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry(ExportFormat.RECORDS));
      z.write(records.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
      z.putNextEntry(new ZipEntry(ExportFormat.MANIFEST));
      z.write(Files.readAllBytes(dir.resolve(ExportFormat.MANIFEST)));
      z.closeEntry();
    }
  }
}
