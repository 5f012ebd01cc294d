package dev.warden.audit.log;

import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import jakarta.json.Json;
import jakarta.json.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Exports of made-up records, written as {@link AuditExport} writes them, for the verifier's tests
 * and benchmark: the records of {@link ExportVerifierTest#record}, chained from genesis.
 */
public final class SyntheticExport {
  private SyntheticExport() {}

  /** Records 1 to {@code n}, chained from genesis. */
  static List<AuditRecord> chain(int n) {
    List<AuditRecord> chain = new ArrayList<>(n);
    ChainHead head = ChainHead.GENESIS;
    for (int i = 1; i <= n; i++) {
      AuditRecord r = ExportVerifierTest.record(i);
      ChainRecord c = ChainHasher.next(head, r.recordId, AuditRecords.canonical(r));
      r.sequence = c.sequence();
      r.prevHash = c.previousHash();
      r.hash = c.hash();
      head = c.head();
      chain.add(r);
    }
    return chain;
  }

  /**
   * Writes {@code records} and the manifest into {@code dir}, sealed by {@code signer}, with {@code
   * checkpoints}, exported at {@code T0 + 60 s}; {@code decrypter} null for an export without
   * plaintext.
   */
  static void write(
      Path dir,
      List<AuditRecord> records,
      Function<AuditRecord, AuditView> decrypter,
      CheckpointSigner signer,
      List<Checkpoint> checkpoints) {
    Instant t0 = ExportVerifierTest.T0;
    try {
      ExportFormat.RecordsWriter w;
      try (Writer out = Files.newBufferedWriter(dir.resolve(ExportFormat.RECORDS))) {
        w =
            decrypter == null
                ? ExportFormat.writer(out)
                : ExportFormat.decryptingWriter(out, decrypter, signer);
        for (AuditRecord r : records) {
          w.add(r);
        }
      }
      try (JsonWriter m =
          Json.createWriter(Files.newBufferedWriter(dir.resolve(ExportFormat.MANIFEST)))) {
        m.writeObject(
            w.manifest(signer, t0.plusSeconds(60), t0, t0.plusSeconds(60), checkpoints, List.of()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes an export of {@code n} records into {@code dir} with a checkpoint every 10,000; {@code
   * decrypted}: with made-up plaintext per record.
   */
  public static void write(Path dir, int n, boolean decrypted, CheckpointSigner signer) {
    List<AuditRecord> records = chain(n);
    List<Checkpoint> checkpoints = new ArrayList<>();
    for (int i = 10_000; i <= n; i += 10_000) {
      checkpoints.add(signer.sign(i, records.get(i - 1).hash, ExportVerifierTest.T0));
    }
    write(
        dir,
        records,
        decrypted
            ? r ->
                new AuditView(
                    r,
                    AuditView.Field.of("{\"prompt\":\"hello " + r.recordId + "\"}"),
                    AuditView.Field.of("hi"),
                    AuditView.Field.ABSENT)
            : null,
        signer,
        checkpoints);
  }
}
