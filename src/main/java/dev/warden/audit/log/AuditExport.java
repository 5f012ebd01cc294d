package dev.warden.audit.log;

import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.PurgedRange;
import dev.warden.call.Caller;
import dev.warden.cluster.Invalidations;
import dev.warden.config.Jsonp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonWriter;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Exports the records of a time range for auditors, as stored ({@link ExportFormat}): ciphertexts,
 * hashes and metadata of every chain of the log, with a sealed manifest that {@link ExportVerifier}
 * checks offline. The range is widened to whole sequence numbers in each chain: every record of a
 * chain from its first created at or after {@code from} to its last created before {@code to}
 * (servers' clocks may differ slightly, so a few records just outside the range can be included;
 * none inside is left out). Lines run by chain, then sequence number. The export is itself recorded
 * ({@value #EXPORT}), naming who exported. {@code GET /api/audit/export} (auditors only) uses
 * {@link #exportDecrypted}.
 */
@ApplicationScoped
public class AuditExport {
  private static final Logger LOG = Logger.getLogger(AuditExport.class.getName());

  /** The operation of the records of exports. */
  public static final String EXPORT = "audit.export";

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject CheckpointSigner signer;
  @Inject AuditWriter writer;
  @Inject AuditReader reader;
  @Inject Clock clock;
  @Inject AuditExport self;
  @Inject Invalidations invalidations;

  /**
   * The records of one chain an export wrote: {@code count} of them, sequence numbers {@code
   * firstSequence} to {@code lastSequence} of that chain (every one in between, but in a tenant's
   * export).
   */
  public record ChainSpan(int chain, long firstSequence, long lastSequence, long count) {}

  /** What an export wrote: {@code count} records, of {@code chains} (in chain order). */
  public record Summary(Path directory, long count, List<ChainSpan> chains) {
    public Summary {
      chains = List.copyOf(chains);
    }

    /**
     * The lowest first sequence number of the chains (0 for an empty export). Each chain numbers
     * its records: see {@link #chains()} for the span of each.
     */
    public long firstSequence() {
      return chains.stream().mapToLong(ChainSpan::firstSequence).min().orElse(0);
    }

    /** The highest last sequence number of the chains (0 for an empty export). */
    public long lastSequence() {
      return chains.stream().mapToLong(ChainSpan::lastSequence).max().orElse(0);
    }
  }

  /**
   * The public keyset (Tink JSON) that checks the signatures of checkpoints and exports offline;
   * empty when Warden seals with its MAC keyset only (no signing keyset configured).
   */
  public java.util.Optional<String> publicKeyJson() {
    return signer.publicKeysetJson();
  }

  /**
   * Writes {@value ExportFormat#RECORDS} and {@value ExportFormat#MANIFEST} for the records created
   * in {@code [from, to)} into {@code directory} (created if missing; existing files are replaced),
   * then records the export.
   *
   * @throws UncheckedIOException if the files cannot be written
   * @throws AuditWriteException if the export's own record cannot be written
   */
  public Summary export(Instant from, Instant to, Path directory) {
    Summary s = self.write(from, to, directory, false, null);
    writer.appendOperation(EXPORT, "CDI", AuditWriter.TENANT, null, details(from, to, s, false));
    logWritten(s);
    return s;
  }

  /**
   * Like {@link #export(Instant, Instant, Path)}, for an authorised reader ({@code GET
   * /api/audit/export}), with each record's decrypted content beside its ciphertexts ({@link
   * ExportFormat#DECRYPTED}, MACed); redacted text stays redacted, an erased subject's fields read
   * as erased. Then records the export naming {@code reader} ({@link AuditWriter#recordAccess}),
   * before the caller hands the files out.
   *
   * @throws UncheckedIOException if the files cannot be written
   * @throws AuditWriteException if the export's own record cannot be written
   */
  public Summary exportDecrypted(Instant from, Instant to, Path directory, Caller reader) {
    return exportDecrypted(from, to, directory, reader, null);
  }

  /**
   * {@link #exportDecrypted(Instant, Instant, Path, Caller)} of one tenant's records only ({@code
   * tenant} null: every tenant), for a tenant-scoped auditor. Such an export holds no record of
   * another tenant, so its chains have gaps: its manifest names the tenant under a seal ({@value
   * ExportFormat#TENANT}), and {@link ExportVerifier} checks each record's hash, content seal and
   * each chain's sealed bounds and count instead of the links between records.
   */
  public Summary exportDecrypted(
      Instant from, Instant to, Path directory, Caller reader, String tenant) {
    invalidations.catchUp(); // no key another server erased is used from this one's cache
    Summary s = self.write(from, to, directory, true, tenant);
    Map<String, Object> details = details(from, to, s, true);
    if (tenant != null) {
      details.put("tenant", tenant);
    }
    writer.recordAccess(EXPORT, reader, details);
    logWritten(s);
    return s;
  }

  private static Map<String, Object> details(Instant from, Instant to, Summary s, boolean plain) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", from.toString());
    details.put("to", to.toString());
    details.put("count", s.count());
    List<Map<String, Object>> chains = new ArrayList<>();
    for (ChainSpan c : s.chains()) {
      Map<String, Object> span = new LinkedHashMap<>();
      span.put("chain", c.chain());
      span.put("first_seq", c.firstSequence());
      span.put("last_seq", c.lastSequence());
      span.put("count", c.count());
      chains.add(span);
    }
    details.put("chains", chains);
    details.put("decrypted", plain);
    return details;
  }

  private static void logWritten(Summary s) {
    LOG.log(
        Level.INFO,
        "WARDEN0350I: audit export of {0} records in {1} chains",
        new Object[] {s.count(), s.chains().size()});
  }

  @Transactional(TxType.REQUIRES_NEW)
  Summary write(Instant from, Instant to, Path directory, boolean decrypted, String tenant) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    String ofTenant = tenant == null ? "" : " and r.tenant = :tenant";
    TypedQuery<Object[]> boundsQuery =
        em.createQuery(
                "select r.chain, min(r.sequence), max(r.sequence) from AuditRecord r where"
                    + " r.createdAt >= :from and r.createdAt < :to"
                    + ofTenant
                    + " group by r.chain order by r.chain",
                Object[].class)
            .setParameter("from", from)
            .setParameter("to", to);
    if (tenant != null) {
      boundsQuery.setParameter("tenant", tenant);
    }
    List<Object[]> bounds = boundsQuery.getResultList();
    List<Checkpoint> checkpoints = new ArrayList<>();
    List<PurgedRange> ranges = new ArrayList<>();
    try {
      Files.createDirectories(directory);
      ExportFormat.RecordsWriter writer;
      try (Writer out =
          Files.newBufferedWriter(
              directory.resolve(ExportFormat.RECORDS), StandardCharsets.UTF_8)) {
        writer =
            decrypted
                ? ExportFormat.decryptingWriter(out, reader::viewForExport, signer, tenant)
                : ExportFormat.writer(out);
        for (Object[] b : bounds) {
          short chain = (Short) b[0];
          long first = (Long) b[1];
          long last = (Long) b[2];
          writeChain(writer, chain, first, last, tenant, ofTenant);
          checkpoints.addAll(checkpoints(chain, first, last));
          ranges.addAll(ranges(chain, first, last));
        }
      }
      try (JsonWriter out =
          Jsonp.createWriter(
              Files.newBufferedWriter(
                  directory.resolve(ExportFormat.MANIFEST), StandardCharsets.UTF_8))) {
        out.writeObject(writer.manifest(signer, clock.instant(), from, to, checkpoints, ranges));
      }
      List<ChainSpan> spans = new ArrayList<>();
      for (ExportFormat.ChainBounds b : writer.chains()) {
        spans.add(new ChainSpan(b.chain(), b.first(), b.last(), b.count()));
      }
      return new Summary(directory, writer.count(), spans);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit export to " + directory, e);
    }
  }

  /** Writes the records {@code first} to {@code last} of {@code chain} (of the tenant, if any). */
  private void writeChain(
      ExportFormat.RecordsWriter writer,
      short chain,
      long first,
      long last,
      String tenant,
      String ofTenant) {
    TypedQuery<AuditRecord> recordsQuery =
        em.createQuery(
                "select r from AuditRecord r where r.chain = :chain and r.sequence between :a and"
                    + " :b"
                    + ofTenant
                    + " order by r.sequence",
                AuditRecord.class)
            .setParameter("chain", chain)
            .setParameter("a", first)
            .setParameter("b", last);
    if (tenant != null) {
      recordsQuery.setParameter("tenant", tenant);
    }
    try (Stream<AuditRecord> records =
        recordsQuery
            .setHint("org.hibernate.fetchSize", 500)
            .setHint("org.hibernate.readOnly", true)
            .getResultStream()) {
      records.forEach(
          r -> {
            writer.add(r);
            em.detach(r);
          });
    }
  }

  /** The checkpoints of {@code chain} at records {@code first} to {@code last}. */
  private List<Checkpoint> checkpoints(short chain, long first, long last) {
    return em
        .createQuery(
            "select c from Checkpoint c where c.chain = :chain and c.sequence between :a and :b"
                + " order by c.sequence",
            CheckpointEntity.class)
        .setParameter("chain", chain)
        .setParameter("a", first)
        .setParameter("b", last)
        .getResultList()
        .stream()
        .map(CheckpointEntity::toCheckpoint)
        .toList();
  }

  /** The purged ranges of {@code chain} between records {@code first} and {@code last}. */
  private List<PurgedRange> ranges(short chain, long first, long last) {
    return em
        .createQuery(
            "select p from PurgedRange p where p.chain = :chain and p.from >= :a and p.to <= :b"
                + " order by p.from",
            PurgedRangeEntity.class)
        .setParameter("chain", chain)
        .setParameter("a", first)
        .setParameter("b", last)
        .getResultList()
        .stream()
        .map(PurgedRangeEntity::toRange)
        .toList();
  }
}
