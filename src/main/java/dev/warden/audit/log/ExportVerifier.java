package dev.warden.audit.log;

import dev.warden.audit.chain.BreakReason;
import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.ChainVerifier;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.PurgedRange;
import dev.warden.audit.chain.Seal;
import dev.warden.audit.chain.SealKind;
import dev.warden.audit.chain.VerificationResult;
import dev.warden.config.Jsonp;
import dev.warden.crypto.Keysets;
import jakarta.json.JsonArray;
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
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Verifies an export ({@link ExportFormat}) offline, without the database: the manifest's seal of
 * each chain's bounds, then each chain line by line from the hash before its first record to its
 * last hash ({@link ChainVerifier}), with the checkpoints and purged ranges of the manifest, and,
 * in a decrypted export, each line's decrypted content against its seal. Names the first broken
 * line (with its chain, for every chain but the first); lines of a chain the manifest does not
 * list, and a listed chain without lines, are broken too. Needs only Warden's public key (Ed25519;
 * {@code GET /api/audit/public-key} or {@code KeysetTool public-key}), or, for an export sealed
 * with MACs, the checkpoint MAC keyset.
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

  /** A line that is not a record, or whose decrypted content does not match its seal. */
  private static final class BadLine extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long line;

    BadLine(long line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  /**
   * What the manifest says about the records: the bounds of each chain, the count, whether it is of
   * a partitioned log (v5), and how many chains it was sealed with.
   */
  private record Sealed(
      List<ExportFormat.ChainBounds> chains, long count, boolean partitioned, int chainCount) {
    ExportFormat.ChainBounds of(int chain) {
      for (ExportFormat.ChainBounds b : chains) {
        if (b.chain() == chain) {
          return b;
        }
      }
      return null;
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
        Jsonp.createReader(
            Files.newBufferedReader(dir.resolve(ExportFormat.MANIFEST), StandardCharsets.UTF_8))) {
      m = reader.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JsonException e) {
      return new Report(false, 0, 0, "the manifest is not JSON");
    }
    try {
      String format = m.getString("format", null);
      boolean partitioned = ExportFormat.FORMAT.equals(format);
      if (!partitioned
          && !ExportFormat.FORMAT_V4.equals(format)
          && !ExportFormat.FORMAT_V3.equals(format)
          && !ExportFormat.FORMAT_V2.equals(format)
          && !ExportFormat.FORMAT_V1.equals(format)) {
        return new Report(false, 0, 0, "the manifest is not a " + ExportFormat.FORMAT + " export");
      }
      long count = m.getJsonNumber("count").longValueExact();
      Instant exportedAt = Instant.parse(m.getString("exported_at"));
      if (count == 0) {
        return lines(dir) == 0
            ? new Report(true, 0, -1, "an empty export")
            : new Report(false, 0, 1, "line 1: records in an export the manifest calls empty");
      }
      Sealed sealed =
          partitioned
              ? new Sealed(
                  chainBounds(m),
                  count,
                  true,
                  m.getJsonNumber(ExportFormat.CHAIN_COUNT).intValueExact())
              : new Sealed(List.of(bounds(m, ChainHasher.FIRST_CHAIN)), count, false, 1);
      Report seals =
          partitioned
              ? checkChainSeals(m.getJsonArray(ExportFormat.CHAINS), sealed, exportedAt, signer)
              : checkSeal(sealed.chains().get(0), exportedAt, ExportFormat.seal(m, ""), signer);
      if (seals != null) {
        return seals;
      }
      if (m.containsKey(ExportFormat.TENANT)) {
        String tenant = m.getString(ExportFormat.TENANT);
        Instant at = exportedAt.truncatedTo(ChronoUnit.MICROS);
        ExportFormat.ChainBounds b = sealed.chains().get(0);
        boolean tenantSealed =
            partitioned
                ? ExportFormat.tenantSealVerifies(signer, m, tenant, sealed.chains(), count, at)
                : ExportFormat.tenantSealVerifies(
                    signer, m, tenant, b.first(), b.last(), count, at);
        if (!tenantSealed) {
          return new Report(false, 0, 0, "the manifest's tenant seal does not verify");
        }
        return tenantRecords(dir, signer, tenant, sealed);
      }
      List<Checkpoint> checkpoints = new ArrayList<>();
      for (JsonValue v : m.getJsonArray("checkpoints")) {
        checkpoints.add(checkpoint(v.asJsonObject()));
      }
      List<PurgedRange> ranges = new ArrayList<>();
      for (JsonValue v : m.getJsonArray("purged_ranges")) {
        ranges.add(range(v.asJsonObject()));
      }
      String unchecked = uncheckable(signer, checkpoints, ranges);
      if (unchecked != null) {
        return new Report(false, 0, 0, unchecked);
      }
      return walk(dir, signer, sealed, checkpoints, ranges);
    } catch (UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      return new Report(false, 0, 0, "the manifest is malformed: " + e.getMessage());
    }
  }

  /** The bounds in {@code o} (a v5 chain entry, or a v1 to v4 manifest) of chain {@code chain}. */
  private static ExportFormat.ChainBounds bounds(JsonObject o, int chain) {
    return new ExportFormat.ChainBounds(
        chain,
        o.getJsonNumber("first_seq").longValueExact(),
        ExportFormat.hex(o.getString("hash_before")),
        o.getJsonNumber("last_seq").longValueExact(),
        ExportFormat.hex(o.getString("last_hash")),
        o.getJsonNumber("count").longValueExact());
  }

  /**
   * The chains of a v5 manifest, in chain order.
   *
   * @throws IllegalArgumentException if a chain is listed twice or out of order
   */
  private static List<ExportFormat.ChainBounds> chainBounds(JsonObject m) {
    List<ExportFormat.ChainBounds> chains = new ArrayList<>();
    for (JsonValue v : m.getJsonArray(ExportFormat.CHAINS)) {
      JsonObject o = v.asJsonObject();
      int chain = ExportFormat.chain(o.getJsonNumber("chain").intValueExact());
      if (!chains.isEmpty() && chain <= chains.get(chains.size() - 1).chain()) {
        throw new IllegalArgumentException("chain " + chain + " is listed twice or out of order");
      }
      chains.add(bounds(o, chain));
    }
    return chains;
  }

  /** Null if the seal of a v1 to v4 export's bounds verifies, else the report saying why not. */
  private static Report checkSeal(
      ExportFormat.ChainBounds b, Instant exportedAt, Seal seal, CheckpointSigner signer) {
    if (!signer.canCheck(seal.kind())) {
      return unsealable(seal.kind());
    }
    if (!signer.verifyExport(
        b.first(), b.hashBefore(), b.last(), b.lastHash(), b.count(), exportedAt, seal)) {
      return new Report(
          false,
          0,
          0,
          "the manifest's "
              + seal.kind().field()
              + " does not verify (bounds or count were changed, or another key)");
    }
    return null;
  }

  /**
   * Null if every chain's seal in a v5 manifest verifies and the counts add up, else the report
   * saying why not.
   */
  private static Report checkChainSeals(
      JsonArray entries, Sealed sealed, Instant exportedAt, CheckpointSigner signer) {
    long sum = 0;
    for (int i = 0; i < sealed.chains().size(); i++) {
      ExportFormat.ChainBounds b = sealed.chains().get(i);
      Seal seal = ExportFormat.seal(entries.getJsonObject(i), "");
      if (!signer.canCheck(seal.kind())) {
        return unsealable(seal.kind());
      }
      if (!signer.verifyExport(
          b.chain(),
          sealed.chainCount(),
          b.first(),
          b.hashBefore(),
          b.last(),
          b.lastHash(),
          b.count(),
          exportedAt,
          seal)) {
        return new Report(
            false,
            0,
            0,
            "the manifest's "
                + seal.kind().field()
                + " does not verify for chain "
                + b.chain()
                + " (its bounds or count, or the number of chains, were changed, or another key)");
      }
      sum += b.count();
    }
    if (sum != sealed.count()) {
      return new Report(
          false,
          0,
          0,
          "the manifest counts "
              + sealed.count()
              + " records, its chains "
              + sum
              + ": its count was changed");
    }
    return null;
  }

  private static Report unsealable(SealKind kind) {
    return new Report(
        false,
        0,
        0,
        kind == SealKind.MAC
            ? "the export is sealed with a MAC, which a public key cannot check: verify it"
                + " with the checkpoint MAC keyset"
            : "the export is signed: verify it with Warden's audit public key");
  }

  /** A checkpoint of the manifest; without {@code chain} (v1 to v4), of the first chain. */
  private static Checkpoint checkpoint(JsonObject c) {
    Seal s = ExportFormat.seal(c, "");
    return new Checkpoint(
        c.getInt("chain", ChainHasher.FIRST_CHAIN),
        c.getInt("chains", 0),
        c.getJsonNumber("seq").longValueExact(),
        ExportFormat.hex(c.getString("hash")),
        Instant.parse(c.getString("created_at")),
        s.kind(),
        s.value());
  }

  /** A purged range of the manifest; without {@code chain} (v1 to v4), of the first chain. */
  private static PurgedRange range(JsonObject r) {
    Seal s = ExportFormat.seal(r, "");
    return new PurgedRange(
        r.getInt("chain", ChainHasher.FIRST_CHAIN),
        r.getJsonNumber("from").longValueExact(),
        r.getJsonNumber("to").longValueExact(),
        ExportFormat.hex(r.getString("hash_before")),
        ExportFormat.hex(r.getString("hash_after")),
        Instant.parse(r.getString("created_at")),
        s.kind(),
        s.value());
  }

  /** Why a proof of the manifest cannot be checked with {@code signer}'s keys; null if all can. */
  private static String uncheckable(
      CheckpointSigner signer, List<Checkpoint> checkpoints, List<PurgedRange> ranges) {
    String what = null;
    for (Checkpoint c : checkpoints) {
      if (!signer.canCheck(c.sealKind())) {
        what = "the checkpoint at " + ChainHasher.named(c.chain()) + "sequence " + c.sequence();
        break;
      }
    }
    for (PurgedRange r : ranges) {
      if (what == null && !signer.canCheck(r.sealKind())) {
        what = "the purged range " + ChainHasher.named(r.chain()) + r.from() + ".." + r.to();
      }
    }
    return what == null
        ? null
        : what
            + " is sealed with a MAC (made before Warden had a signing key): verify this export"
            + " with the checkpoint MAC keyset as well";
  }

  /**
   * One line of the records file: its number (1-based, blank lines counted) and its record. {@code
   * json} is the whole line, with its decrypted content if any.
   */
  private record Line(long number, JsonObject json, AuditRecord record) {
    int chain() {
      return record.chain;
    }
  }

  /**
   * The records file, read once, one line ahead ({@link #peek}); blank lines are skipped. Remembers
   * the line and sequence number of each record of the chain being read ({@link #segment}), to name
   * the line of a break.
   */
  private static final class Lines implements AutoCloseable {
    private final BufferedReader in;
    private final CheckpointSigner signer;
    private final boolean partitioned;
    private long read;
    private boolean eof;
    private Line peeked;
    private long lastTaken;
    private long[] segmentLines = new long[1024];
    private long[] segmentSeqs = new long[1024];
    private int segmentSize;
    private boolean inSegment;

    Lines(Path dir, CheckpointSigner signer, boolean partitioned) throws IOException {
      this.in = Files.newBufferedReader(dir.resolve(ExportFormat.RECORDS), StandardCharsets.UTF_8);
      this.signer = signer;
      this.partitioned = partitioned;
    }

    /**
     * The next record, not taken; null at the end of the file.
     *
     * @throws BadLine if the next line is not a record
     */
    Line peek() {
      while (peeked == null && !eof) {
        String text;
        try {
          text = in.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (text == null) {
          eof = true;
        } else if (!text.isBlank()) {
          peeked = parse(++read, text);
        } else {
          read++;
        }
      }
      return peeked;
    }

    private Line parse(long n, String text) {
      try (JsonReader reader = Jsonp.createReader(new StringReader(text))) {
        JsonObject line = reader.readObject();
        if (partitioned && !line.containsKey("chain")) {
          throw new IllegalArgumentException("missing field chain");
        }
        return new Line(n, line, ExportFormat.fromJson(line));
      } catch (JsonException | IllegalArgumentException e) {
        throw new BadLine(n, "line " + n + " is not a record: " + e.getMessage());
      }
    }

    /**
     * Takes the next record, which must exist, and checks its decrypted content if it has any.
     *
     * @throws BadLine if its decrypted content does not match its seal (or is malformed)
     */
    Line take() {
      Line l = Objects.requireNonNull(peek());
      peeked = null;
      lastTaken = l.number();
      AuditRecord r = l.record();
      boolean intact;
      try {
        intact = ExportFormat.contentIntact(l.json(), r, signer);
      } catch (IllegalArgumentException e) {
        throw new BadLine(l.number(), "line " + l.number() + " is not a record: " + e.getMessage());
      }
      if (!intact) {
        throw new BadLine(
            l.number(),
            "line "
                + l.number()
                + ": CONTENT_MODIFIED at "
                + ChainHasher.named(r.chain)
                + "sequence "
                + r.sequence
                + " ("
                + r.recordId
                + "): the decrypted content does not match its seal");
      }
      if (inSegment) {
        if (segmentSize == segmentLines.length) {
          segmentLines = Arrays.copyOf(segmentLines, segmentSize * 2);
          segmentSeqs = Arrays.copyOf(segmentSeqs, segmentSize * 2);
        }
        segmentLines[segmentSize] = l.number();
        segmentSeqs[segmentSize++] = r.sequence;
      }
      return l;
    }

    /** The records of the consecutive lines of {@code chain} from here, as the verifier reads. */
    Iterable<ChainRecord> segment(int chain) {
      segmentSize = 0;
      inSegment = true;
      return () ->
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              Line l = peek();
              return l != null && l.chain() == chain;
            }

            @Override
            public ChainRecord next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              return AuditRecords.chainRecord(take().record());
            }
          };
    }

    /**
     * The line of a break at {@code sequence} of the segment read: the first line whose record is
     * at or past it (an edited record's own line, the line after a deleted one, the first line out
     * of order), else the line after the segment; negative (its number) at the end of the file.
     */
    long lineOf(long sequence) {
      for (int k = 0; k < segmentSize; k++) {
        if (segmentSeqs[k] >= sequence) {
          return segmentLines[k];
        }
      }
      return here();
    }

    /**
     * The line of the next record, or after the last one taken; negative (its number) at the end of
     * the file.
     */
    long here() {
      if (peeked != null) {
        return peeked.number();
      }
      return eof ? -(read + 1) : lastTaken + 1;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** The report of {@code b}, found at {@code line} ({@link Lines#lineOf}). */
  private static Report broken(long records, long line, ChainBreak b) {
    long n = Math.abs(line);
    return new Report(
        false,
        records,
        n,
        "line "
            + n
            + (line < 0 ? " (end of file)" : "")
            + ": "
            + b.reason()
            + " at "
            + ChainHasher.named(b.chain())
            + "sequence "
            + b.sequence()
            + b.recordId().map(id -> " (" + id + ")").orElse("")
            + ": "
            + b.detail());
  }

  /**
   * Null if the next line (at the start of chain {@code next}'s lines, or past the last chain's
   * when {@code next} is null) is where it belongs, else why not: a record of a chain the manifest
   * does not list, of a chain whose lines came earlier ({@code done}), or no line of {@code next}.
   */
  private static ChainBreak misplaced(
      Lines lines, Sealed sealed, ExportFormat.ChainBounds next, int previous) {
    Line l = lines.peek();
    if (l == null ? next == null : next != null && l.chain() == next.chain()) {
      return null;
    }
    if (next != null && (l == null || sealed.of(l.chain()) != null && l.chain() > next.chain())) {
      return new ChainBreak(
          next.chain(),
          next.first(),
          null,
          BreakReason.RECORD_MISSING,
          "no line holds a record of chain "
              + next.chain()
              + " where its lines belong; the manifest lists its records "
              + next.first()
              + " to "
              + next.last());
    }
    if (sealed.of(l.chain()) == null) {
      return new ChainBreak(
          l.chain(),
          l.record().sequence,
          l.record().recordId,
          BreakReason.RECORD_INSERTED,
          "the manifest does not list chain "
              + l.chain()
              + ": its entry was removed, or the line added");
    }
    return new ChainBreak(
        l.chain(),
        l.record().sequence,
        l.record().recordId,
        BreakReason.RECORDS_REORDERED,
        "a record of chain "
            + l.chain()
            + " after the lines of chain "
            + previous
            + " (lines run by chain, then sequence)");
  }

  /**
   * Null if the manifest has no more chains than it was sealed with and no proofs of a chain it
   * does not list, else why not (after the lines: an entry removed with its lines).
   */
  private static Report unlisted(
      Sealed sealed, List<Checkpoint> checkpoints, List<PurgedRange> ranges) {
    if (sealed.chainCount() != sealed.chains().size()) {
      return new Report(
          false,
          0,
          0,
          "the export was sealed with "
              + sealed.chainCount()
              + " chains and the manifest lists "
              + sealed.chains().size()
              + ": a chain was removed");
    }
    for (Checkpoint c : checkpoints) {
      if (sealed.of(c.chain()) == null) {
        return new Report(
            false,
            0,
            0,
            "the manifest holds a checkpoint of chain "
                + c.chain()
                + ", which it does not list: a chain was removed");
      }
    }
    for (PurgedRange r : ranges) {
      if (sealed.of(r.chain()) == null) {
        return new Report(
            false,
            0,
            0,
            "the manifest holds a purged range of chain "
                + r.chain()
                + ", which it does not list: a chain was removed");
      }
    }
    return null;
  }

  /** The checkpoints, or purged ranges, of chain {@code chain} among {@code all}. */
  private static <T> List<T> ofChain(List<T> all, ToIntFunction<T> chainOf, int chain) {
    List<T> of = new ArrayList<>();
    for (T t : all) {
      if (chainOf.applyAsInt(t) == chain) {
        of.add(t);
      }
    }
    return of;
  }

  /** "N chains (chain 1: sequence a to b, ...)". */
  private static String chains(Sealed sealed) {
    StringBuilder s = new StringBuilder();
    int n = sealed.chains().size();
    s.append(n).append(n == 1 ? " chain (" : " chains (");
    for (int i = 0; i < n; i++) {
      ExportFormat.ChainBounds b = sealed.chains().get(i);
      s.append(i == 0 ? "" : ", ").append("chain ").append(b.chain()).append(": sequence ");
      s.append(b.first()).append(" to ").append(b.last());
    }
    return s.append(')').toString();
  }

  /**
   * Walks each chain of the manifest through its lines (one segment of the file per chain, in chain
   * order) with {@link ChainVerifier#verifyEndingAt}: from the hash before its first record to its
   * sealed last record, with its checkpoints and purged ranges.
   */
  private static Report walk(
      Path dir,
      CheckpointSigner signer,
      Sealed sealed,
      List<Checkpoint> checkpoints,
      List<PurgedRange> ranges) {
    long records = 0;
    int checkpointsChecked = 0;
    int rangesChecked = 0;
    try (Lines lines = new Lines(dir, signer, sealed.partitioned())) {
      int previous = 0;
      for (ExportFormat.ChainBounds b : sealed.chains()) {
        ChainBreak misplaced = misplaced(lines, sealed, b, previous);
        if (misplaced != null) {
          return broken(records, lines.here(), misplaced);
        }
        // the manifest's checked seal vouches for the chain's last record: its signed head
        VerificationResult result =
            new ChainVerifier(signer, b.chain(), b.before())
                .verifyEndingAt(
                    lines.segment(b.chain()),
                    ofChain(checkpoints, Checkpoint::chain, b.chain()),
                    ofChain(ranges, PurgedRange::chain, b.chain()),
                    b.end());
        records += result.recordsChecked();
        if (!result.intact()) {
          ChainBreak br = result.firstBreak().orElseThrow();
          return broken(records, lines.lineOf(br.sequence()), br);
        }
        if (result.recordsChecked() != b.count()) {
          return new Report(
              false,
              records,
              Math.abs(lines.here()),
              "the manifest counts "
                  + b.count()
                  + " records of chain "
                  + b.chain()
                  + ", the file has "
                  + result.recordsChecked());
        }
        checkpointsChecked += result.checkpointsChecked();
        rangesChecked += result.purgedRangesChecked();
        previous = b.chain();
      }
      ChainBreak extra = misplaced(lines, sealed, null, previous);
      if (extra != null) {
        return broken(records, lines.here(), extra);
      }
    } catch (BadLine e) {
      return new Report(false, e.line - 1, e.line, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Report unlisted = unlisted(sealed, checkpoints, ranges);
    if (unlisted != null) {
      return unlisted;
    }
    ExportFormat.ChainBounds only = sealed.chains().get(0);
    return new Report(
        true,
        records,
        -1,
        records
            + (sealed.partitioned()
                ? " records in " + chains(sealed)
                : " records, sequence " + only.first() + " to " + only.last())
            + ", "
            + checkpointsChecked
            + " checkpoints, "
            + rangesChecked
            + " purged ranges");
  }

  /**
   * A tenant-scoped export: every line a record of {@code tenant} whose stored hash is the hash of
   * its chain, sequence, previous hash and content, with intact decrypted content; per chain of the
   * manifest, in rising sequence order from its first record (after its {@code hash_before}) to its
   * last (ending with its {@code last_hash}), as many as it counts. The links between records are
   * not checked: the records of other tenants between them are not in the export.
   */
  private static Report tenantRecords(
      Path dir, CheckpointSigner signer, String tenant, Sealed sealed) {
    long total = 0;
    try (Lines lines = new Lines(dir, signer, sealed.partitioned())) {
      int previous = 0;
      for (ExportFormat.ChainBounds b : sealed.chains()) {
        ChainBreak misplaced = misplaced(lines, sealed, b, previous);
        if (misplaced != null) {
          return broken(total, lines.here(), misplaced);
        }
        long n = 0;
        AuditRecord r = null;
        for (Line l = lines.peek(); l != null && l.chain() == b.chain(); l = lines.peek()) {
          long before = r == null ? Long.MIN_VALUE : r.sequence;
          r = lines.take().record();
          ChainBreak problem = tenantProblem(l, tenant, b, n == 0, before);
          if (problem != null) {
            return broken(total + n, l.number(), problem);
          }
          n++;
        }
        total += n;
        if (n != b.count()
            || r == null
            || r.sequence != b.last()
            || !MessageDigest.isEqual(r.hash, b.lastHash())) {
          return new Report(
              false,
              total,
              Math.abs(lines.here()),
              "the manifest counts "
                  + b.count()
                  + " records of tenant "
                  + tenant
                  + (sealed.partitioned() ? " in chain " + b.chain() : "")
                  + " ending at sequence "
                  + b.last()
                  + "; the file has "
                  + n
                  + (r == null ? "" : " ending at sequence " + r.sequence));
        }
        previous = b.chain();
      }
      ChainBreak extra = misplaced(lines, sealed, null, previous);
      if (extra != null) {
        return broken(total, lines.here(), extra);
      }
    } catch (BadLine e) {
      return new Report(false, e.line - 1, e.line, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Report unlisted = unlisted(sealed, List.of(), List.of());
    if (unlisted != null) {
      return unlisted;
    }
    ExportFormat.ChainBounds only = sealed.chains().get(0);
    return new Report(
        true,
        total,
        -1,
        total
            + " records of tenant "
            + tenant
            + (sealed.partitioned()
                ? " in " + chains(sealed)
                : ", sequence " + only.first() + " to " + only.last())
            + " (each record's hash and content checked; links not: records of other tenants"
            + " are not in the export)");
  }

  /**
   * What is wrong with line {@code l} of a tenant's export in the chain of {@code b}, null if
   * nothing: {@code first} whether it is the chain's first line, {@code before} the sequence number
   * of the line before it in the chain.
   */
  private static ChainBreak tenantProblem(
      Line l, String tenant, ExportFormat.ChainBounds b, boolean first, long before) {
    AuditRecord r = l.record();
    BreakReason reason = null;
    String detail = null;
    if (!l.json().containsKey(ExportFormat.DECRYPTED)) {
      reason = BreakReason.CONTENT_MODIFIED;
      detail = "the line has no decrypted content, which every line of a tenant's export has";
    } else if (!tenant.equals(r.tenant)) {
      reason = BreakReason.RECORD_INSERTED;
      detail = "a record of another tenant in an export of tenant " + tenant;
    } else if (r.sequence <= before || r.sequence < b.first() || r.sequence > b.last()) {
      reason = BreakReason.RECORDS_REORDERED;
      detail = "sequence " + r.sequence + " out of order or bounds";
    } else if (r.prevHash == null || first && !MessageDigest.isEqual(r.prevHash, b.hashBefore())) {
      reason = BreakReason.LINK_BROKEN;
      detail = "the first record does not follow the manifest's hash_before";
    } else if (!MessageDigest.isEqual(
        ChainHasher.hash(r.chain, r.sequence, r.prevHash, AuditRecords.chainRecord(r).content()),
        r.hash)) {
      reason = BreakReason.CONTENT_MODIFIED;
      detail = "the hash of the record does not match its content";
    }
    return reason == null ? null : new ChainBreak(r.chain, r.sequence, r.recordId, reason, detail);
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
