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

/**
 * Writes an export of {@code n} chained records, as {@link AuditExport} does, for benchmarks: the
 * records of {@link ExportVerifierTest#record}, a checkpoint every 10,000 records, sealed by the
 * signer given.
 */
public final class SyntheticExport {
  private SyntheticExport() {}

  /** Writes the export into {@code dir}; {@code decrypted}: with made-up plaintext per record. */
  public static void write(Path dir, int n, boolean decrypted, CheckpointSigner signer) {
    ChainHead head = ChainHead.GENESIS;
    List<Checkpoint> checkpoints = new ArrayList<>();
    try (Writer out = Files.newBufferedWriter(dir.resolve(ExportFormat.RECORDS))) {
      ExportFormat.RecordsWriter w =
          decrypted
              ? ExportFormat.decryptingWriter(
                  out,
                  r ->
                      new AuditView(
                          r,
                          AuditView.Field.of("{\"prompt\":\"hello " + r.recordId + "\"}"),
                          AuditView.Field.of("hi"),
                          AuditView.Field.ABSENT),
                  signer)
              : ExportFormat.writer(out);
      for (int i = 1; i <= n; i++) {
        AuditRecord r = ExportVerifierTest.record(i);
        ChainRecord c = ChainHasher.next(head, r.recordId, AuditRecords.canonical(r));
        r.sequence = c.sequence();
        r.prevHash = c.previousHash();
        r.hash = c.hash();
        head = c.head();
        w.add(r);
        if (i % 10_000 == 0) {
          checkpoints.add(signer.sign(head, ExportVerifierTest.T0));
        }
      }
      Instant t0 = ExportVerifierTest.T0;
      try (JsonWriter m =
          Json.createWriter(Files.newBufferedWriter(dir.resolve(ExportFormat.MANIFEST)))) {
        m.writeObject(w.manifest(signer, t0.plusSeconds(n + 60L), t0, t0, checkpoints, List.of()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
