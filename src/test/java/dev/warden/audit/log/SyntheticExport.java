package dev.warden.audit.log;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import dev.warden.audit.chain.CanonicalRecord;
import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.Seal;
import dev.warden.audit.chain.SealKind;
import dev.warden.crypto.Keysets;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Exports of made-up records, written as {@link AuditExport} writes them, for the verifier's tests
 * and benchmark: the records of {@link ExportVerifierTest#record}, chained from genesis in one
 * chain or several; and exports as Warden wrote them before the log was partitioned (format v4).
 */
public final class SyntheticExport {
  private SyntheticExport() {}

  /** Records 1 to {@code n} of the first chain, chained from genesis. */
  static List<AuditRecord> chain(int n) {
    return chain(ChainHasher.FIRST_CHAIN, n);
  }

  /**
   * Records 1 to {@code n} of chain {@code chain}, chained from genesis; ids {@code rec-i} in the
   * first chain, {@code rec-<chain>-i} in the others.
   */
  static List<AuditRecord> chain(int chain, int n) {
    List<AuditRecord> records = new ArrayList<>(n);
    ChainHead head = ChainHead.GENESIS;
    for (int i = 1; i <= n; i++) {
      AuditRecord r = ExportVerifierTest.record(i);
      if (chain != ChainHasher.FIRST_CHAIN) {
        r.recordId = "rec-" + chain + "-" + i;
      }
      r.chain = (short) chain;
      ChainRecord c = ChainHasher.next(chain, head, r.recordId, AuditRecords.canonical(r));
      r.sequence = c.sequence();
      r.prevHash = c.previousHash();
      r.hash = c.hash();
      head = c.head();
      records.add(r);
    }
    return records;
  }

  /**
   * Writes {@code records} (by chain, then sequence) and the manifest into {@code dir}, sealed by
   * {@code signer}, with {@code checkpoints}, exported at {@code T0 + 60 s}; {@code decrypter} null
   * for an export without plaintext.
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
   * Writes an export of {@code n} records spread over {@code chains} chains into {@code dir}, with
   * a checkpoint every 10,000 records of a chain; {@code decrypted}: with made-up plaintext per
   * record.
   */
  public static void write(
      Path dir, int n, int chains, boolean decrypted, CheckpointSigner signer) {
    List<AuditRecord> records = new ArrayList<>(n);
    List<Checkpoint> checkpoints = new ArrayList<>();
    for (int c = 1; c <= chains; c++) {
      List<AuditRecord> chain = chain(c, n / chains + (c <= n % chains ? 1 : 0));
      for (int i = 10_000; i <= chain.size(); i += 10_000) {
        checkpoints.add(signer.sign(c, chains, i, chain.get(i - 1).hash, ExportVerifierTest.T0));
      }
      records.addAll(chain);
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

  /**
   * Writes {@code records} (of the first chain) as Warden wrote an export before the log was
   * partitioned ({@code warden.audit.export.v4}, or {@code format}): lines without {@code chain},
   * the bounds and their seal at the top of the manifest, {@code checkpoints} without chain ({@link
   * #unpartitionedCheckpoint}); {@code tenant} (null: none) under a seal of its own.
   */
  static void writeV4(
      Path dir,
      String format,
      List<AuditRecord> records,
      Function<AuditRecord, AuditView> decrypter,
      CheckpointSigner signer,
      List<Checkpoint> checkpoints,
      String tenant) {
    Instant at = ExportVerifierTest.T0.plusSeconds(60);
    StringWriter lines = new StringWriter();
    ExportFormat.RecordsWriter w =
        decrypter == null
            ? ExportFormat.writer(lines)
            : ExportFormat.decryptingWriter(lines, decrypter, signer, tenant);
    for (AuditRecord r : records) {
      w.add(r);
    }
    StringBuilder v4 = new StringBuilder();
    for (String line : lines.toString().split("\n")) {
      try (JsonReader reader = Json.createReader(new StringReader(line))) {
        JsonObjectBuilder b = Json.createObjectBuilder(reader.readObject());
        v4.append(b.remove("chain").build()).append('\n');
      }
    }
    HexFormat hex = HexFormat.of();
    AuditRecord first = records.get(0);
    AuditRecord last = records.get(records.size() - 1);
    JsonObjectBuilder m =
        Json.createObjectBuilder()
            .add("format", format)
            .add("exported_at", at.toString())
            .add("from", ExportVerifierTest.T0.toString())
            .add("to", at.toString())
            .add("count", records.size())
            .add("decrypted", decrypter != null)
            .add("first_seq", first.sequence)
            .add("hash_before", hex.formatHex(first.prevHash))
            .add("last_seq", last.sequence)
            .add("last_hash", hex.formatHex(last.hash));
    seal(
        m,
        "",
        signer.signExport(
            first.sequence, first.prevHash, last.sequence, last.hash, records.size(), at));
    if (tenant != null) {
      m.add(ExportFormat.TENANT, tenant);
      seal(
          m,
          "tenant_",
          signer.signContent(
              "tenant-export",
              last.sequence,
              new byte[0],
              tenant,
              Long.toString(first.sequence),
              Long.toString(records.size()),
              at.toString()));
    }
    JsonArrayBuilder cps = Json.createArrayBuilder();
    for (Checkpoint c : checkpoints) {
      JsonObjectBuilder o =
          Json.createObjectBuilder()
              .add("seq", c.sequence())
              .add("hash", hex.formatHex(c.hash()))
              .add("created_at", c.createdAt().toString());
      cps.add(seal(o, "", new Seal(c.sealKind(), c.seal())));
    }
    JsonObject manifest =
        m.add("checkpoints", cps).add("purged_ranges", Json.createArrayBuilder()).build();
    try {
      Files.writeString(dir.resolve(ExportFormat.RECORDS), v4);
      Files.writeString(dir.resolve(ExportFormat.MANIFEST), manifest.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObjectBuilder seal(JsonObjectBuilder o, String prefix, Seal seal) {
    return o.add(prefix + seal.kind().field(), Base64.getEncoder().encodeToString(seal.value()));
  }

  /**
   * A checkpoint of the first chain as Warden sealed it before the log was partitioned (no chain
   * under the seal): with {@code keyset}, an Ed25519 signing keyset or a MAC keyset.
   */
  static Checkpoint unpartitionedCheckpoint(
      KeysetHandle keyset, long sequence, byte[] hash, Instant createdAt) {
    Keysets.register();
    Instant at = createdAt.truncatedTo(ChronoUnit.MICROS);
    SealKind kind;
    try {
      keyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
      kind = SealKind.ED25519;
    } catch (GeneralSecurityException notSigning) {
      kind = SealKind.MAC;
    }
    byte[] input =
        CanonicalRecord.builder()
            .string("type", "warden.audit.checkpoint")
            .number("version", kind.version())
            .number("sequence", sequence)
            .bytes("hash", hash)
            .instant("created_at", at)
            .build()
            .encoded();
    try {
      byte[] seal =
          kind == SealKind.ED25519
              ? keyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class).sign(input)
              : keyset.getPrimitive(RegistryConfiguration.get(), Mac.class).computeMac(input);
      return new Checkpoint(sequence, hash, at, kind, seal);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
