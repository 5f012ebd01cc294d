package dev.warden.audit.log;

import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.PurgedRange;
import dev.warden.audit.chain.Seal;
import dev.warden.audit.chain.SealKind;
import dev.warden.config.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The export format ({@value #FORMAT}): {@code records.jsonl}, one record per line exactly as
 * stored (its chain, its sequence number in that chain, ciphertexts Base64, hashes hex, every
 * hashed column), ordered by chain, then sequence number; and {@code manifest.json} with the count,
 * per chain in the export ({@code chains}) its first and last sequence number and hash, the hash
 * before its first record, its count and a seal of these bounds ({@link
 * CheckpointSigner#signExport(int, int, long, byte[], long, byte[], long, Instant)}, which also
 * covers the number of chains in the export, {@code chain_count}), and the checkpoints and purged
 * ranges inside the export (each naming its chain, with their seals). A decrypted export (for an
 * authorised caller, {@code GET /api/audit/export}) adds to each line the decrypted content
 * ({@value #DECRYPTED}) and a seal of it bound to the record's chain and hash ({@code
 * content_signature}, or {@value #CONTENT_MAC}); the manifest says {@code "decrypted": true}.
 *
 * <p>A seal is an Ed25519 signature in a member named {@code signature} (with its prefix: {@code
 * content_signature}, {@code tenant_signature}) or, made before Warden had a signing key or without
 * one, an HMAC in a member named {@code mac}; the member's name says the kind ({@link
 * SealKind#field}), and the kind's version is part of the sealed bytes. Stateless.
 *
 * <p>Exports of formats v1 to v4, written before the log was partitioned, hold one chain (the
 * first) and keep their layout: no {@code chain} on lines, checkpoints and ranges, and the bounds
 * and their seal at the top of the manifest.
 */
public final class ExportFormat {
  /**
   * The format id in the manifest. v2 adds each record's {@code record_format} and {@code
   * route_reason}; v3 adds {@code uninspected} to the records that have it; v4 seals with Ed25519
   * signatures ({@code signature} members) where earlier formats had only MACs; v5 holds every
   * chain of the log: each line, checkpoint and purged range names its {@code chain}, and the
   * manifest seals each chain's bounds ({@code chains}). v1 to v4 exports still read and verify.
   */
  public static final String FORMAT = "warden.audit.export.v5";

  /** The format id of exports written before the log was partitioned into chains. */
  static final String FORMAT_V4 = "warden.audit.export.v4";

  /** The format id of exports written before signatures. */
  static final String FORMAT_V3 = "warden.audit.export.v3";

  /** The format id of exports written before uninspected content was recorded. */
  static final String FORMAT_V2 = "warden.audit.export.v2";

  /** The format id of exports written before route reasons. */
  static final String FORMAT_V1 = "warden.audit.export.v1";

  /** The records file in an export directory. */
  public static final String RECORDS = "records.jsonl";

  /** The manifest file in an export directory. */
  public static final String MANIFEST = "manifest.json";

  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private ExportFormat() {}

  /**
   * The records of one chain in an export: its number, the first sequence number and the hash
   * before it, the last sequence number and its hash, and how many records (lines) it has.
   */
  record ChainBounds(
      int chain, long first, byte[] hashBefore, long last, byte[] lastHash, long count) {
    /** The head the chain starts after: record {@code first - 1}, with {@code hashBefore}. */
    ChainHead before() {
      return new ChainHead(first - 1, hashBefore);
    }

    /** The head the chain ends at: the manifest's sealed last record. */
    ChainHead end() {
      return new ChainHead(last, lastHash);
    }
  }

  /**
   * Writes records to a JSONL file and, at the end, the manifest. Records must come by chain, then
   * sequence number. Not thread-safe.
   */
  public static final class RecordsWriter {
    private final Writer records;
    private final Function<AuditRecord, AuditView> decrypter;
    private final CheckpointSigner signer;
    private final String tenant;
    private final List<ChainBounds> chains = new ArrayList<>();
    private long count;
    private int chain;

    /** The records of the current chain written so far. */
    private long inChain;

    private long first;
    private byte[] hashBefore;
    private long last;
    private byte[] lastHash;

    RecordsWriter(
        Writer records,
        Function<AuditRecord, AuditView> decrypter,
        CheckpointSigner signer,
        String tenant) {
      this.records = records;
      this.decrypter = decrypter;
      this.signer = signer;
      this.tenant = tenant;
    }

    /**
     * Writes {@code r}'s line.
     *
     * @throws IllegalArgumentException if {@code r} is of a chain before the previous record's
     * @throws UncheckedIOException if the line cannot be written
     */
    void add(AuditRecord r) {
      if (inChain > 0 && r.chain < chain) {
        throw new IllegalArgumentException(
            "records must come by chain: chain " + r.chain + " after chain " + chain);
      }
      JsonObject line = toJson(r);
      if (decrypter != null) {
        line = withContent(line, r, decrypter.apply(r), signer);
      }
      try {
        records.write(line.toString());
        records.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (inChain == 0 || r.chain != chain) {
        endChain();
        chain = r.chain;
        first = r.sequence;
        hashBefore = r.prevHash;
      }
      last = r.sequence;
      lastHash = r.hash;
      inChain++;
      count++;
    }

    private void endChain() {
      if (inChain > 0) {
        chains.add(current());
        inChain = 0;
      }
    }

    /** The bounds of the chain being written. */
    private ChainBounds current() {
      return new ChainBounds(chain, first, hashBefore, last, lastHash, inChain);
    }

    long count() {
      return count;
    }

    /** The bounds of each chain written so far, in chain order. */
    List<ChainBounds> chains() {
      List<ChainBounds> all = new ArrayList<>(chains);
      if (inChain > 0) {
        all.add(current());
      }
      return all;
    }

    /**
     * The manifest: the bounds of each chain written, each sealed; {@code checkpoints} and {@code
     * ranges} (of those chains, inside their bounds) with their seals. An empty export has no
     * chains.
     */
    JsonObject manifest(
        CheckpointSigner signer,
        Instant exportedAt,
        Instant from,
        Instant to,
        List<Checkpoint> checkpoints,
        List<PurgedRange> ranges) {
      Instant at = exportedAt.truncatedTo(ChronoUnit.MICROS);
      List<ChainBounds> bounds = chains();
      JsonObjectBuilder m =
          Jsonp.createObjectBuilder()
              .add("format", FORMAT)
              .add("exported_at", at.toString())
              .add("from", from.toString())
              .add("to", to.toString())
              .add("count", count)
              .add("decrypted", decrypter != null);
      if (tenant != null) {
        m.add(TENANT, tenant);
        if (count > 0) {
          m.addAll(seal(TENANT_PREFIX, tenantSeal(signer, tenant, bounds, count, at)));
        }
      }
      JsonArrayBuilder chainArray = Jsonp.createArrayBuilder();
      for (ChainBounds b : bounds) {
        chainArray.add(
            Jsonp.createObjectBuilder()
                .add("chain", b.chain())
                .add("first_seq", b.first())
                .add("hash_before", HEX.formatHex(b.hashBefore()))
                .add("last_seq", b.last())
                .add("last_hash", HEX.formatHex(b.lastHash()))
                .add("count", b.count())
                .addAll(
                    seal(
                        "",
                        signer.signExport(
                            b.chain(),
                            bounds.size(),
                            b.first(),
                            b.hashBefore(),
                            b.last(),
                            b.lastHash(),
                            b.count(),
                            at))));
      }
      m.add(CHAIN_COUNT, bounds.size()).add(CHAINS, chainArray);
      JsonArrayBuilder cps = Jsonp.createArrayBuilder();
      for (Checkpoint c : checkpoints) {
        cps.add(
            Jsonp.createObjectBuilder()
                .add("chain", c.chain())
                .add("chains", c.chains())
                .add("seq", c.sequence())
                .add("hash", HEX.formatHex(c.hash()))
                .add("created_at", c.createdAt().toString())
                .addAll(seal("", new Seal(c.sealKind(), c.seal()))));
      }
      JsonArrayBuilder prs = Jsonp.createArrayBuilder();
      for (PurgedRange r : ranges) {
        prs.add(
            Jsonp.createObjectBuilder()
                .add("chain", r.chain())
                .add("from", r.from())
                .add("to", r.to())
                .add("hash_before", HEX.formatHex(r.hashBefore()))
                .add("hash_after", HEX.formatHex(r.hashAfter()))
                .add("created_at", r.createdAt().toString())
                .addAll(seal("", new Seal(r.sealKind(), r.seal()))));
      }
      return m.add("checkpoints", cps).add("purged_ranges", prs).build();
    }
  }

  /** The manifest member listing the bounds of each chain in a v5 export. */
  static final String CHAINS = "chains";

  /** The manifest member counting the chains in a v5 export (under each chain's seal). */
  static final String CHAIN_COUNT = "chain_count";

  static RecordsWriter writer(Writer records) {
    return new RecordsWriter(records, null, null, null);
  }

  /**
   * The manifest field naming the one tenant a tenant-scoped export holds the records of (absent:
   * every record of the range); {@code tenant_signature} (or {@value #TENANT_MAC}) seals it with
   * the export's bounds, so a full export cannot be passed off as a tenant's (whose chain links are
   * not checked).
   */
  public static final String TENANT = "tenant";

  /** The manifest field holding the MAC of {@value #TENANT} in an export sealed with MACs. */
  public static final String TENANT_MAC = "tenant_mac";

  private static final String TENANT_PREFIX = "tenant_";

  private static final String CONTENT_PREFIX = "content_";

  /**
   * The tenant seal of a v5 export: the tenant, each chain's bounds and count, the record count and
   * the export time.
   */
  static Seal tenantSeal(
      CheckpointSigner signer, String tenant, List<ChainBounds> chains, long count, Instant at) {
    return signer.signContent(
        TENANT_EXPORT_V5, count, new byte[0], tenantMacFields(tenant, chains, at));
  }

  /**
   * Whether the v5 manifest {@code m}'s tenant seal is {@link #tenantSeal(CheckpointSigner, String,
   * List, long, Instant)} of these fields under any key of {@code signer}.
   *
   * @throws IllegalArgumentException if the manifest has no tenant seal
   */
  static boolean tenantSealVerifies(
      CheckpointSigner signer,
      JsonObject m,
      String tenant,
      List<ChainBounds> chains,
      long count,
      Instant at) {
    return signer.verifyContent(
        seal(m, TENANT_PREFIX),
        TENANT_EXPORT_V5,
        count,
        new byte[0],
        tenantMacFields(tenant, chains, at));
  }

  private static final String TENANT_EXPORT_V5 = "tenant-export.v5";

  private static String[] tenantMacFields(String tenant, List<ChainBounds> chains, Instant at) {
    StringBuilder spans = new StringBuilder();
    for (ChainBounds b : chains) {
      if (spans.length() > 0) {
        spans.append(',');
      }
      spans.append(b.chain()).append(':').append(b.first()).append('-').append(b.last());
      spans.append('/').append(b.count());
    }
    return new String[] {
      "tenant", tenant, "chains", spans.toString(), "exported_at", at.toString()
    };
  }

  /**
   * Whether the v1 to v4 manifest {@code m}'s tenant seal is the seal of these fields under any key
   * of {@code signer}.
   *
   * @throws IllegalArgumentException if the manifest has no tenant seal
   */
  static boolean tenantSealVerifies(
      CheckpointSigner signer,
      JsonObject m,
      String tenant,
      long first,
      long last,
      long count,
      Instant at) {
    return signer.verifyContent(
        seal(m, TENANT_PREFIX),
        "tenant-export",
        last,
        new byte[0],
        tenantMacFields(tenant, first, count, at));
  }

  /** A JSON object of one member: the seal, named by its kind after {@code prefix}. */
  private static JsonObjectBuilder seal(String prefix, Seal seal) {
    return Jsonp.createObjectBuilder()
        .add(prefix + seal.kind().field(), B64.encodeToString(seal.value()));
  }

  /**
   * The seal in {@code o} under {@code prefix}: {@code <prefix>signature} (Ed25519) or {@code
   * <prefix>mac}.
   *
   * @throws IllegalArgumentException if there is neither, or it is not Base64
   */
  static Seal seal(JsonObject o, String prefix) {
    SealKind kind =
        sealKind(o, prefix)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no " + prefix + "signature or " + prefix + "mac"));
    return new Seal(kind, b64(o.getString(prefix + kind.field())));
  }

  /** The kind of the seal {@code o} has under {@code prefix}, if any. */
  private static java.util.Optional<SealKind> sealKind(JsonObject o, String prefix) {
    for (SealKind kind : SealKind.values()) {
      if (o.containsKey(prefix + kind.field())) {
        return java.util.Optional.of(kind);
      }
    }
    return java.util.Optional.empty();
  }

  private static String[] tenantMacFields(String tenant, long first, long count, Instant at) {
    return new String[] {tenant, Long.toString(first), Long.toString(count), at.toString()};
  }

  /**
   * A writer that adds each record's decrypted content ({@value #DECRYPTED}) and its MAC ({@value
   * #CONTENT_MAC}, {@link CheckpointSigner#signContent}) to its line.
   */
  static RecordsWriter decryptingWriter(
      Writer records, Function<AuditRecord, AuditView> decrypter, CheckpointSigner signer) {
    return decryptingWriter(records, decrypter, signer, null);
  }

  /** {@link #decryptingWriter} of a tenant-scoped export ({@value #TENANT}; null: every record). */
  static RecordsWriter decryptingWriter(
      Writer records,
      Function<AuditRecord, AuditView> decrypter,
      CheckpointSigner signer,
      String tenant) {
    return new RecordsWriter(
        records, Objects.requireNonNull(decrypter), Objects.requireNonNull(signer), tenant);
  }

  /** The field of a decrypted export's line holding the decrypted content. */
  public static final String DECRYPTED = "decrypted";

  /**
   * The field of a decrypted export's line holding the MAC of {@value #DECRYPTED} in an export
   * sealed with MACs; a signed export's line has {@code content_signature}.
   */
  public static final String CONTENT_MAC = "content_mac";

  private static final String[] CONTENT = {"request", "answer", "error"};

  private static JsonObject withContent(
      JsonObject line, AuditRecord r, AuditView view, CheckpointSigner signer) {
    AuditView.Field[] fields = {view.request(), view.answer(), view.error()};
    JsonObjectBuilder content = Jsonp.createObjectBuilder();
    for (int i = 0; i < CONTENT.length; i++) {
      content.add(CONTENT[i], field(fields[i]));
    }
    JsonObject decrypted = content.build();
    Seal seal = signer.signContent(r.chain, r.recordId, r.sequence, r.hash, macFields(decrypted));
    return Jsonp.createObjectBuilder(line)
        .add(DECRYPTED, decrypted)
        .addAll(seal(CONTENT_PREFIX, seal))
        .build();
  }

  /** A decrypted field: {@code {"state": "present|absent|erased|unreadable", "value": text}}. */
  public static JsonObject field(AuditView.Field f) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder().add("state", f.state().name().toLowerCase(Locale.ROOT));
    if (f.value() == null) {
      o.addNull("value");
    } else {
      o.add("value", f.value());
    }
    return o.build();
  }

  /** The (name, value) pairs the content seal covers, in a fixed order. */
  private static String[] macFields(JsonObject decrypted) {
    String[] out = new String[CONTENT.length * 4];
    int i = 0;
    for (String name : CONTENT) {
      JsonObject f = decrypted.getJsonObject(name);
      out[i++] = name + "_state";
      out[i++] = f.getString("state");
      out[i++] = name;
      out[i++] = f.isNull("value") ? null : f.getString("value");
    }
    return out;
  }

  /**
   * Whether the decrypted content on a line matches its seal (true when the line carries neither).
   *
   * @throws IllegalArgumentException if the decrypted content or its seal is malformed
   */
  static boolean contentIntact(JsonObject line, AuditRecord r, CheckpointSigner signer) {
    if (!line.containsKey(DECRYPTED)) {
      return sealKind(line, CONTENT_PREFIX).isEmpty();
    }
    try {
      return signer.verifyContent(
          seal(line, CONTENT_PREFIX),
          r.chain,
          r.recordId,
          r.sequence,
          r.hash,
          macFields(line.getJsonObject(DECRYPTED)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed decrypted content: " + e.getMessage(), e);
    }
  }

  /**
   * A record's metadata for a reader who may search the audit: every stored column but the
   * ciphertexts and the previous hash, plus whether each encrypted field holds a value.
   */
  public static JsonObject metadata(AuditRecord r) {
    JsonObjectBuilder b = Jsonp.createObjectBuilder();
    toJson(r)
        .forEach(
            (name, value) -> {
              if (!name.endsWith("_enc") && !"prev_hash".equals(name)) {
                b.add(name, value);
              }
            });
    return b.add(
            "encrypted_fields",
            Jsonp.createObjectBuilder()
                .add("request", r.requestEnc != null)
                .add("answer", r.answerEnc != null)
                .add("error", r.errorEnc != null))
        .build();
  }

  /** A stored record as one JSON object (every column, as stored). */
  static JsonObject toJson(AuditRecord r) {
    JsonObjectBuilder b = Jsonp.createObjectBuilder();
    b.add("chain", r.chain);
    b.add("seq", r.sequence);
    str(b, "record_id", r.recordId);
    str(b, "created_at", r.createdAt == null ? null : r.createdAt.toString());
    str(b, "started_at", r.startedAt == null ? null : r.startedAt.toString());
    str(b, "request_id", r.requestId);
    str(b, "entry_point", r.entryPoint);
    str(b, "operation", r.operation);
    b.add("streamed", r.streamed);
    str(b, "principal", r.principal);
    str(b, "tenant", r.tenant);
    str(b, "data_subject", r.dataSubject);
    str(b, "key_subject", r.keySubject);
    str(b, "requested_model", r.requestedModel);
    str(b, "answered_by", r.answeredBy);
    str(b, "model_snapshot", r.modelSnapshot);
    str(b, "fallback", r.fallback);
    b.add("attempts", r.attempts);
    str(b, "upstream_request_id", r.upstreamRequestId);
    str(b, "prompt_id", r.promptId);
    str(b, "prompt_version", r.promptVersion);
    b.add("latency_ms", r.latencyMs);
    if (r.timeToFirstEventMs == null) {
      b.addNull("time_to_first_event_ms");
    } else {
      b.add("time_to_first_event_ms", r.timeToFirstEventMs);
    }
    b.add("tokens_input", r.tokensInput);
    b.add("tokens_cached", r.tokensCached);
    b.add("tokens_output", r.tokensOutput);
    b.add("tokens_reasoning", r.tokensReasoning);
    str(b, "cost", r.cost == null ? null : r.cost.toPlainString());
    str(b, "outcome", r.outcome);
    str(b, "error_type", r.errorType);
    str(b, "pii_found", r.piiFound);
    str(b, "guard_score", r.guardScore == null ? null : Double.toString(r.guardScore));
    str(b, "guard_rules", r.guardRules);
    str(b, "guard_action", r.guardAction);
    str(b, "request_enc", r.requestEnc == null ? null : B64.encodeToString(r.requestEnc));
    str(b, "answer_enc", r.answerEnc == null ? null : B64.encodeToString(r.answerEnc));
    str(b, "error_enc", r.errorEnc == null ? null : B64.encodeToString(r.errorEnc));
    b.add("record_format", r.recordFormat);
    str(b, "route_reason", r.routeReason);
    if (r.uninspected != null) {
      b.add("uninspected", r.uninspected);
    }
    str(b, "prev_hash", r.prevHash == null ? null : HEX.formatHex(r.prevHash));
    str(b, "hash", r.hash == null ? null : HEX.formatHex(r.hash));
    return b.build();
  }

  /**
   * A record read back from its JSON object.
   *
   * @throws IllegalArgumentException if a field is missing or malformed
   */
  static AuditRecord fromJson(JsonObject o) {
    try {
      AuditRecord r = new AuditRecord();
      // exports written before the log was partitioned (v1 to v4) hold the first chain only
      r.chain = o.containsKey("chain") ? chain(o.getJsonNumber("chain").intValueExact()) : 1;
      r.sequence = o.getJsonNumber("seq").longValueExact();
      r.recordId = str(o, "record_id");
      r.createdAt = instant(str(o, "created_at"));
      r.startedAt = instant(str(o, "started_at"));
      r.requestId = str(o, "request_id");
      r.entryPoint = str(o, "entry_point");
      r.operation = str(o, "operation");
      r.streamed = o.getBoolean("streamed");
      r.principal = str(o, "principal");
      r.tenant = str(o, "tenant");
      r.dataSubject = str(o, "data_subject");
      r.keySubject = str(o, "key_subject");
      r.requestedModel = str(o, "requested_model");
      r.answeredBy = str(o, "answered_by");
      r.modelSnapshot = str(o, "model_snapshot");
      r.fallback = str(o, "fallback");
      r.attempts = o.getJsonNumber("attempts").intValueExact();
      r.upstreamRequestId = str(o, "upstream_request_id");
      r.promptId = str(o, "prompt_id");
      r.promptVersion = str(o, "prompt_version");
      r.latencyMs = o.getJsonNumber("latency_ms").longValueExact();
      r.timeToFirstEventMs =
          o.isNull("time_to_first_event_ms")
              ? null
              : o.getJsonNumber("time_to_first_event_ms").longValueExact();
      r.tokensInput = o.getJsonNumber("tokens_input").longValueExact();
      r.tokensCached = o.getJsonNumber("tokens_cached").longValueExact();
      r.tokensOutput = o.getJsonNumber("tokens_output").longValueExact();
      r.tokensReasoning = o.getJsonNumber("tokens_reasoning").longValueExact();
      String cost = str(o, "cost");
      r.cost = cost == null ? null : new BigDecimal(cost);
      r.outcome = str(o, "outcome");
      r.errorType = str(o, "error_type");
      r.piiFound = str(o, "pii_found");
      String score = str(o, "guard_score");
      r.guardScore = score == null ? null : Double.valueOf(score);
      r.guardRules = str(o, "guard_rules");
      r.guardAction = str(o, "guard_action");
      r.requestEnc = b64(str(o, "request_enc"));
      r.answerEnc = b64(str(o, "answer_enc"));
      r.errorEnc = b64(str(o, "error_enc"));
      // exports written before format 2 carry neither field
      r.recordFormat =
          o.containsKey("record_format") ? o.getJsonNumber("record_format").intValueExact() : 1;
      r.routeReason = o.containsKey("route_reason") ? str(o, "route_reason") : null;
      // only records with uninspected content carry it (and v3 exports only)
      r.uninspected = o.containsKey("uninspected") ? str(o, "uninspected") : null;
      r.prevHash = hex(str(o, "prev_hash"));
      r.hash = hex(str(o, "hash"));
      return r;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed record: " + e.getMessage(), e);
    }
  }

  /**
   * A chain number as stored (a {@code smallint}).
   *
   * @throws IllegalArgumentException if it is below 1 or above {@link Short#MAX_VALUE}
   */
  static short chain(int chain) {
    if (ChainHasher.checkChain(chain) > Short.MAX_VALUE) {
      throw new IllegalArgumentException("no chain " + chain);
    }
    return (short) chain;
  }

  static byte[] hex(String s) {
    return s == null ? null : HEX.parseHex(s);
  }

  static byte[] b64(String s) {
    return s == null ? null : B64D.decode(s);
  }

  static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static void str(JsonObjectBuilder b, String name, String value) {
    if (value == null) {
      b.addNull(name);
    } else {
      b.add(name, value);
    }
  }

  static String str(JsonObject o, String name) {
    JsonValue v = o.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing field " + name);
    }
    return v.getValueType() == JsonValue.ValueType.NULL ? null : o.getString(name);
  }
}
