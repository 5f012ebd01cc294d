package dev.warden.bench;

import com.google.crypto.tink.KeysetHandle;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.log.AuditChains;
import dev.warden.audit.log.ExportVerifier;
import dev.warden.audit.log.SyntheticExport;
import dev.warden.crypto.Keysets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What public-key proofs cost (a {@code main}, not a test; run {@code src/test/bench/proofs.sh}):
 * Ed25519 signatures and their checks per second against the HMAC they replace, and the offline
 * verifier's rate on exports of {@code n} records spread over the default number of chains (plain,
 * and decrypted with one signature per record), written and checked as {@code GET
 * /api/audit/export} and {@code warden-audit-verify.jar} do. Args: {@code [records]} (default
 * 200000). Bounded: one pass per figure after a warm-up.
 */
public final class ProofBench {
  private ProofBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    KeysetHandle mac = Keysets.generateMac();
    KeysetHandle signing = Keysets.generateSigning();
    CheckpointSigner signed = CheckpointSigner.of(mac, signing);
    CheckpointSigner maced = CheckpointSigner.of(mac);
    CheckpointSigner publicKey =
        CheckpointSigner.verifying(Keysets.parseJson(Keysets.toPublicJson(signing), "public"));

    System.out.println("seals (per second, one thread; a record's content seal)");
    for (int round = 0; round < 2; round++) { // the first round warms up
      boolean print = round == 1;
      seal("Ed25519 sign", print, i -> signed.signContent("r" + i, i, new byte[32], "a", "b"));
      var sig = signed.signContent("r", 1, new byte[32], "a", "b");
      seal(
          "Ed25519 verify",
          print,
          i -> publicKey.verifyContent(sig, "r", 1, new byte[32], "a", "b"));
      seal(
          "HMAC-SHA256 compute", print, i -> maced.signContent("r" + i, i, new byte[32], "a", "b"));
    }

    System.out.printf("%noffline verification of an export of %,d records%n", n);
    System.out.printf("%-34s %10s %12s %12s%n", "", "write s", "verify s", "records/s");
    for (boolean decrypted : new boolean[] {false, true}) {
      for (CheckpointSigner sealer : new CheckpointSigner[] {maced, signed}) {
        CheckpointSigner checker = sealer == signed ? publicKey : maced;
        Path dir = Files.createTempDirectory("warden-proof-bench");
        try {
          long t0 = System.nanoTime();
          SyntheticExport.write(dir, n, AuditChains.DEFAULT_CHAINS, decrypted, sealer);
          long t1 = System.nanoTime();
          ExportVerifier.Report report = ExportVerifier.verify(dir, checker);
          long t2 = System.nanoTime();
          if (!report.ok()) {
            throw new IllegalStateException(report.toString());
          }
          System.out.printf(
              "%-34s %10.2f %12.2f %,12.0f%n",
              (decrypted ? "decrypted, " : "plain, ")
                  + (sealer == signed ? "Ed25519 (public key)" : "HMAC (MAC keyset)"),
              (t1 - t0) / 1e9,
              (t2 - t1) / 1e9,
              n / ((t2 - t1) / 1e9));
        } finally {
          try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    }
  }

  private interface Op {
    Object run(int i) throws Exception;
  }

  private static void seal(String name, boolean print, Op op) throws Exception {
    int count = 0;
    long start = System.nanoTime();
    long end = start + 2_000_000_000L;
    while (System.nanoTime() < end && count < 1_000_000) {
      op.run(count++);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (print) {
      System.out.printf(
          "  %-22s %,10.0f/s  %7.1f us each%n", name, count / seconds, seconds * 1e6 / count);
    }
  }
}
