package dev.warden.audit.log;

import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.ChainVerifier;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.PurgedRange;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * Verifies an export ({@link ExportFormat}) offline, without the database: the manifest's MAC of
 * the export bounds, then the hash chain line by line from the hash before the first record to the
 * last hash, with the checkpoints and purged ranges of the manifest, and, in a decrypted export,
 * each line's decrypted content against its MAC. Names the first broken line. Needs only the
 * checkpoint MAC keyset.
 *
 * <p>Command line: {@code ExportVerifier <export-dir> <mac-keyset.json>} (or {@code
 * src/main/scripts/audit-verify-export}); prints {@code OK: ...} and exits 0, or {@code BROKEN:
 * line N ...} and exits 1; 2 for unusable arguments.
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
   * Verifies the export in {@code dir} with the checkpoint keys of {@code signer}.
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
      byte[] mac = ExportFormat.b64(m.getString("mac"));
      if (!signer.verifyExport(first, hashBefore, last, lastHash, count, exportedAt, mac)) {
        return new Report(
            false, 0, 0, "the manifest's MAC does not verify (bounds or count were changed)");
      }
      if (m.containsKey(ExportFormat.TENANT)) {
        String tenant = m.getString(ExportFormat.TENANT);
        if (!ExportFormat.tenantMacVerifies(
            signer,
            ExportFormat.b64(m.getString(ExportFormat.TENANT_MAC, "")),
            tenant,
            first,
            last,
            count,
            exportedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS))) {
          return new Report(false, 0, 0, "the manifest's tenant MAC does not verify");
        }
        return tenantRecords(dir, signer, tenant, first, hashBefore, last, lastHash, count);
      }
      List<Checkpoint> checkpoints = new ArrayList<>();
      for (JsonValue v : m.getJsonArray("checkpoints")) {
        JsonObject c = v.asJsonObject();
        checkpoints.add(
            new Checkpoint(
                c.getJsonNumber("seq").longValueExact(),
                ExportFormat.hex(c.getString("hash")),
                java.time.Instant.parse(c.getString("created_at")),
                ExportFormat.b64(c.getString("mac"))));
      }
      List<PurgedRange> ranges = new ArrayList<>();
      for (JsonValue v : m.getJsonArray("purged_ranges")) {
        JsonObject r = v.asJsonObject();
        ranges.add(
            new PurgedRange(
                r.getJsonNumber("from").longValueExact(),
                r.getJsonNumber("to").longValueExact(),
                ExportFormat.hex(r.getString("hash_before")),
                ExportFormat.hex(r.getString("hash_after")),
                java.time.Instant.parse(r.getString("created_at")),
                ExportFormat.b64(r.getString("mac"))));
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

  private static Report walk(
      Path dir,
      CheckpointSigner signer,
      long first,
      byte[] hashBefore,
      ChainHead last,
      long count,
      List<Checkpoint> checkpoints,
      List<PurgedRange> ranges) {
    TreeMap<Long, Long> lineOf = new TreeMap<>();
    Map<Long, Long> lines = lineOf;
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
                            + "): the decrypted content does not match its MAC");
                  }
                  lines.putIfAbsent(r.sequence, n);
                  return AuditRecords.chainRecord(r);
                }
              };
      ChainHead genesis = new ChainHead(first - 1, hashBefore);
      result =
          new ChainVerifier(signer, genesis)
              .verify(records, checkpoints, ranges, last, signer.signHead(last));
    } catch (BadLine e) {
      return new Report(false, e.line - 1, e.line, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!result.intact()) {
      ChainBreak b = result.firstBreak().orElseThrow();
      Map.Entry<Long, Long> at = lineOf.ceilingEntry(b.sequence());
      long line = at == null ? read[0] + 1 : at.getValue();
      return new Report(
          false,
          result.recordsChecked(),
          line,
          "line "
              + line
              + (at == null ? " (end of file)" : "")
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
          problem = "CONTENT_MODIFIED: the decrypted content does not match its MAC";
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

  /** {@code ExportVerifier <export-dir> <mac-keyset.json>}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * The command without exiting: prints the report to {@code out}, usage and argument problems to
   * {@code err}, and returns the exit code (0 intact, 1 broken, 2 unusable arguments).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2) {
      err.println("usage: ExportVerifier <export-dir> <mac-keyset.json>");
      return 2;
    }
    Path dir = Path.of(args[0]);
    if (!Files.isRegularFile(dir.resolve(ExportFormat.MANIFEST))
        || !Files.isRegularFile(dir.resolve(ExportFormat.RECORDS))) {
      err.println(dir + " holds no " + ExportFormat.MANIFEST + " and " + ExportFormat.RECORDS);
      return 2;
    }
    CheckpointSigner signer;
    try {
      signer = CheckpointSigner.of(Keysets.readFile(Path.of(args[1])));
    } catch (RuntimeException e) {
      err.println("cannot use the MAC keyset " + args[1] + ": " + e.getMessage());
      return 2;
    }
    Report report = verify(dir, signer);
    out.println(report);
    return report.ok() ? 0 : 1;
  }
}
