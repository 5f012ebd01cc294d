package dev.warden.audit.log;

import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.ChainVerifier;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.PurgedRange;
import dev.warden.audit.chain.Seal;
import dev.warden.audit.chain.SealKind;
import dev.warden.audit.chain.VerificationResult;
import dev.warden.crypto.Keysets;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Verifies an export ({@link ExportFormat}) offline, without the database: the manifest's seal of
 * the export bounds, then the hash chain line by line from the hash before the first record to the
 * last hash, with the checkpoints and purged ranges of the manifest, and, in a decrypted export,
 * each line's decrypted content against its seal. Names the first broken line. Needs only Warden's
 * public key (Ed25519; {@code GET /api/audit/public-key} or {@code KeysetTool public-key}), or, for
 * an export sealed with MACs, the checkpoint MAC keyset.
 *
 * <p>Command line, in the runnable jar {@code mvn package} builds ({@code
 * target/warden-audit-verify.jar}): {@code java -jar warden-audit-verify.jar <export.zip | dir>
 * <public-key.json>}; prints {@code OK: ...} and exits 0, or {@code BROKEN: line N ...} and exits
 * 1; 2 for unusable arguments.
 */
public final class ExportVerifier {
  private ExportVerifier() {}

  /**
   * What the verification found.
   *
   * @param line the first broken line of {@code records.jsonl} (1-based), 0 for the manifest, -1 if
   *     intact
   */
  public record Report(boolean ok, long records, long line, String message) {
    @Override
    public String toString() {
      return (ok ? "OK: " : "BROKEN: ") + message;
    }
  }

  /** A line that is not a record. */
  private static final class BadLine extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long line;

    BadLine(long line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  /**
   * Verifies the export in {@code dir} (a directory, or the root of an opened zip) with the keys of
   * {@code signer}.
   *
   * @throws UncheckedIOException if a file cannot be read
   */
  public static Report verify(Path dir, CheckpointSigner signer) {
    JsonObject m;
    try (JsonReader reader =
        Json.createReader(
            Files.newBufferedReader(dir.resolve(ExportFormat.MANIFEST), StandardCharsets.UTF_8))) {
      m = reader.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JsonException e) {
      return new Report(false, 0, 0, "the manifest is not JSON");
    }
    try {
      String format = m.getString("format", null);
      if (!ExportFormat.FORMAT.equals(format)
          && !ExportFormat.FORMAT_V3.equals(format)
          && !ExportFormat.FORMAT_V2.equals(format)
          && !ExportFormat.FORMAT_V1.equals(format)) {
        return new Report(false, 0, 0, "the manifest is not a " + ExportFormat.FORMAT + " export");
      }
      long count = m.getJsonNumber("count").longValueExact();
      java.time.Instant exportedAt = java.time.Instant.parse(m.getString("exported_at"));
      if (count == 0) {
        return lines(dir) == 0
            ? new Report(true, 0, -1, "an empty export")
            : new Report(false, 0, 1, "line 1: records in an export the manifest calls empty");
      }
      long first = m.getJsonNumber("first_seq").longValueExact();
      long last = m.getJsonNumber("last_seq").longValueExact();
      byte[] hashBefore = ExportFormat.hex(m.getString("hash_before"));
      byte[] lastHash = ExportFormat.hex(m.getString("last_hash"));
      Seal seal = ExportFormat.seal(m, "");
      if (!signer.canCheck(seal.kind())) {
        return new Report(
            false,
            0,
            0,
            seal.kind() == SealKind.MAC
                ? "the export is sealed with a MAC, which a public key cannot check: verify it"
                    + " with the checkpoint MAC keyset"
                : "the export is signed: verify it with Warden's audit public key");
      }
      if (!signer.verifyExport(first, hashBefore, last, lastHash, count, exportedAt, seal)) {
        return new Report(
            false,
            0,
            0,
            "the manifest's "
                + seal.kind().field()
                + " does not verify (bounds or count were changed, or another key)");
      }
      if (m.containsKey(ExportFormat.TENANT)) {
        String tenant = m.getString(ExportFormat.TENANT);
        if (!ExportFormat.tenantSealVerifies(
            signer,
            m,
            tenant,
            first,
            last,
            count,
            exportedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS))) {
          return new Report(false, 0, 0, "the manifest's tenant seal does not verify");
        }
        return tenantRecords(dir, signer, tenant, first, hashBefore, last, lastHash, count);
      }
      List<Checkpoint> checkpoints = new ArrayList<>();
      for (JsonValue v : m.getJsonArray("checkpoints")) {
        JsonObject c = v.asJsonObject();
        Seal s = ExportFormat.seal(c, "");
        checkpoints.add(
            new Checkpoint(
                c.getJsonNumber("seq").longValueExact(),
                ExportFormat.hex(c.getString("hash")),
                java.time.Instant.parse(c.getString("created_at")),
                s.kind(),
                s.value()));
      }
      List<PurgedRange> ranges = new ArrayList<>();
      for (JsonValue v : m.getJsonArray("purged_ranges")) {
        JsonObject r = v.asJsonObject();
        Seal s = ExportFormat.seal(r, "");
        ranges.add(
            new PurgedRange(
                r.getJsonNumber("from").longValueExact(),
                r.getJsonNumber("to").longValueExact(),
                ExportFormat.hex(r.getString("hash_before")),
                ExportFormat.hex(r.getString("hash_after")),
                java.time.Instant.parse(r.getString("created_at")),
                s.kind(),
                s.value()));
      }
      String unchecked = uncheckable(signer, checkpoints, ranges);
      if (unchecked != null) {
        return new Report(false, 0, 0, unchecked);
      }
      return walk(
          dir,
          signer,
          first,
          hashBefore,
          new ChainHead(last, lastHash),
          count,
          checkpoints,
          ranges);
    } catch (RuntimeException e) {
      return new Report(false, 0, 0, "the manifest is malformed: " + e.getMessage());
    }
  }

  /** Why a proof of the manifest cannot be checked with {@code signer}'s keys; null if all can. */
  private static String uncheckable(
      CheckpointSigner signer, List<Checkpoint> checkpoints, List<PurgedRange> ranges) {
    String what = null;
    for (Checkpoint c : checkpoints) {
      if (!signer.canCheck(c.sealKind())) {
        what = "the checkpoint at sequence " + c.sequence();
        break;
      }
    }
    for (PurgedRange r : ranges) {
      if (what == null && !signer.canCheck(r.sealKind())) {
        what = "the purged range " + r.from() + ".." + r.to();
      }
    }
    return what == null
        ? null
        : what
            + " is sealed with a MAC (made before Warden had a signing key): verify this export"
            + " with the checkpoint MAC keyset as well";
  }

  private static Report walk(
      Path dir,
      CheckpointSigner signer,
      long first,
      byte[] hashBefore,
      ChainHead last,
      long count,
      List<Checkpoint> checkpoints,
      List<PurgedRange> ranges) {
    // the sequence number on each line read, in file order: a break is named at the first line
    // whose record is at or past the broken sequence number (an edited record's own line, the line
    // after a deleted one, the first line out of order)
    long[][] seqOfLine = {new long[1024]};
    VerificationResult result;
    long[] read = new long[1];
    try (BufferedReader in =
        Files.newBufferedReader(dir.resolve(ExportFormat.RECORDS), StandardCharsets.UTF_8)) {
      Iterable<ChainRecord> records =
          () ->
              new Iterator<>() {
                String next = readLine();

                private String readLine() {
                  try {
                    return in.readLine();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }

                @Override
                public boolean hasNext() {
                  return next != null;
                }

                @Override
                public ChainRecord next() {
                  if (next == null) {
                    throw new NoSuchElementException();
                  }
                  long n = ++read[0];
                  String text = next;
                  next = readLine();
                  AuditRecord r;
                  boolean content;
                  try (JsonReader reader = Json.createReader(new StringReader(text))) {
                    JsonObject line = reader.readObject();
                    r = ExportFormat.fromJson(line);
                    content = ExportFormat.contentIntact(line, r, signer);
                  } catch (JsonException | IllegalArgumentException e) {
                    throw new BadLine(n, "line " + n + " is not a record: " + e.getMessage());
                  }
                  if (!content) {
                    throw new BadLine(
                        n,
                        "line "
                            + n
                            + ": CONTENT_MODIFIED at sequence "
                            + r.sequence
                            + " ("
                            + r.recordId
                            + "): the decrypted content does not match its seal");
                  }
                  if (n > seqOfLine[0].length) {
                    seqOfLine[0] = java.util.Arrays.copyOf(seqOfLine[0], seqOfLine[0].length * 2);
                  }
                  seqOfLine[0][(int) (n - 1)] = r.sequence;
                  return AuditRecords.chainRecord(r);
                }
              };
      ChainHead genesis = new ChainHead(first - 1, hashBefore);
      // the manifest's checked seal vouches for the last record: the export's signed head
      result =
          new ChainVerifier(signer, genesis).verifyEndingAt(records, checkpoints, ranges, last);
    } catch (BadLine e) {
      return new Report(false, e.line - 1, e.line, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!result.intact()) {
      ChainBreak b = result.firstBreak().orElseThrow();
      long line = read[0] + 1;
      for (int k = 0; k < read[0]; k++) {
        if (seqOfLine[0][k] >= b.sequence()) {
          line = k + 1;
          break;
        }
      }
      boolean atEnd = line > read[0];
      return new Report(
          false,
          result.recordsChecked(),
          line,
          "line "
              + line
              + (atEnd ? " (end of file)" : "")
              + ": "
              + b.reason()
              + " at sequence "
              + b.sequence()
              + b.recordId().map(id -> " (" + id + ")").orElse("")
              + ": "
              + b.detail());
    }
    if (result.recordsChecked() != count) {
      return new Report(
          false,
          result.recordsChecked(),
          read[0],
          "the manifest counts " + count + " records, the file has " + result.recordsChecked());
    }
    return new Report(
        true,
        count,
        -1,
        count
            + " records, sequence "
            + first
            + " to "
            + last.sequence()
            + ", "
            + result.checkpointsChecked()
            + " checkpoints, "
            + result.purgedRangesChecked()
            + " purged ranges");
  }

  /**
   * A tenant-scoped export: every line a record of {@code tenant} whose stored hash is the hash of
   * its sequence, previous hash and content, with intact decrypted content, in rising sequence
   * order from {@code first} (after {@code hashBefore}) to {@code last} (ending with {@code
   * lastHash}), {@code count} in all. The links between records are not checked: the records of
   * other tenants between them are not in the export.
   */
  private static Report tenantRecords(
      Path dir,
      CheckpointSigner signer,
      String tenant,
      long first,
      byte[] hashBefore,
      long last,
      byte[] lastHash,
      long count) {
    long n = 0;
    long previous = Long.MIN_VALUE;
    AuditRecord r = null;
    try (BufferedReader in =
        Files.newBufferedReader(dir.resolve(ExportFormat.RECORDS), StandardCharsets.UTF_8)) {
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        if (text.isBlank()) {
          continue;
        }
        n++;
        JsonObject line;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
          line = reader.readObject();
          r = ExportFormat.fromJson(line);
        } catch (JsonException | IllegalArgumentException e) {
          return new Report(false, n - 1, n, "line " + n + " is not a record: " + e.getMessage());
        }
        String problem = null;
        if (!line.containsKey(ExportFormat.DECRYPTED)
            || !ExportFormat.contentIntact(line, r, signer)) {
          problem = "CONTENT_MODIFIED: the decrypted content does not match its seal";
        } else if (!tenant.equals(r.tenant)) {
          problem = "a record of another tenant in an export of tenant " + tenant;
        } else if (r.sequence <= previous || r.sequence < first || r.sequence > last) {
          problem = "RECORDS_REORDERED: sequence " + r.sequence + " out of order or bounds";
        } else if (n == 1 && !java.security.MessageDigest.isEqual(r.prevHash, hashBefore)) {
          problem = "LINK_BROKEN: the first record does not follow the manifest's hash_before";
        } else if (!java.security.MessageDigest.isEqual(
            dev.warden.audit.chain.ChainHasher.hash(
                r.sequence, r.prevHash, AuditRecords.chainRecord(r).content()),
            r.hash)) {
          problem = "CONTENT_MODIFIED: the hash of the record does not match its content";
        }
        if (problem != null) {
          return new Report(
              false,
              n - 1,
              n,
              "line "
                  + n
                  + ": "
                  + problem
                  + " at sequence "
                  + r.sequence
                  + " ("
                  + r.recordId
                  + ")");
        }
        previous = r.sequence;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (n != count
        || r == null
        || r.sequence != last
        || !java.security.MessageDigest.isEqual(r.hash, lastHash)) {
      return new Report(
          false,
          n,
          n,
          "the manifest counts "
              + count
              + " records of tenant "
              + tenant
              + " ending at sequence "
              + last
              + "; the file has "
              + n
              + (r == null ? "" : " ending at sequence " + r.sequence));
    }
    return new Report(
        true,
        count,
        -1,
        count
            + " records of tenant "
            + tenant
            + ", sequence "
            + first
            + " to "
            + last
            + " (each record's hash and content checked; links not: records of other tenants"
            + " are not in the export)");
  }

  private static long lines(Path dir) {
    try (var s = Files.lines(dir.resolve(ExportFormat.RECORDS), StandardCharsets.UTF_8)) {
      return s.filter(l -> !l.isBlank()).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java -jar warden-audit-verify.jar <export.zip | dir> <public-key.json>}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  private static final String USAGE =
      "usage: java -jar warden-audit-verify.jar <export.zip | export-dir> <public-key.json>"
          + " [mac-keyset.json]\n"
          + "  <public-key.json>: Warden's audit public key (GET /api/audit/public-key);\n"
          + "  mac-keyset.json: the checkpoint MAC keyset, needed only for what was sealed with"
          + " MACs (before Warden had a signing key)";

  /**
   * The command without exiting: prints the report to {@code out}, usage and argument problems to
   * {@code err}, and returns the exit code (0 intact, 1 broken, 2 unusable arguments).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2 && args.length != 3) {
      err.println(USAGE);
      return 2;
    }
    Path export = Path.of(args[0]);
    CheckpointSigner signer;
    try {
      com.google.crypto.tink.KeysetHandle[] keys =
          new com.google.crypto.tink.KeysetHandle[args.length - 1];
      for (int i = 1; i < args.length; i++) {
        keys[i - 1] = Keysets.readFile(Path.of(args[i]));
      }
      signer = CheckpointSigner.forChecking(keys);
    } catch (RuntimeException e) {
      err.println(
          "cannot use the keys "
              + String.join(" ", List.of(args).subList(1, args.length))
              + ": "
              + e.getMessage());
      return 2;
    }
    if (Files.isDirectory(export)) {
      return verifyRoot(export, export, signer, out, err);
    }
    if (!Files.isRegularFile(export)) {
      err.println(export + " is neither an export zip nor a directory");
      return 2;
    }
    try (FileSystem zip = FileSystems.newFileSystem(export)) {
      return verifyRoot(zip.getPath("/"), export, signer, out, err);
    } catch (IOException | RuntimeException e) {
      err.println(export + " is not a readable zip: " + e.getMessage());
      return 2;
    }
  }

  private static int verifyRoot(
      Path root, Path named, CheckpointSigner signer, PrintStream out, PrintStream err) {
    if (!Files.isRegularFile(root.resolve(ExportFormat.MANIFEST))
        || !Files.isRegularFile(root.resolve(ExportFormat.RECORDS))) {
      err.println(named + " holds no " + ExportFormat.MANIFEST + " and " + ExportFormat.RECORDS);
      return 2;
    }
    Report report;
    try {
      report = verify(root, signer);
    } catch (UncheckedIOException e) {
      err.println("cannot read " + named + ": " + e.getCause().getMessage());
      return 2;
    }
    out.println(report);
    return report.ok() ? 0 : 1;
  }
}
