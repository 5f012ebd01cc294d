package dev.warden.gateway.api;

import dev.warden.audit.chain.ChainBreak;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.SealKind;
import dev.warden.audit.log.AuditCheckpoints;
import dev.warden.audit.log.AuditErasure;
import dev.warden.audit.log.AuditExport;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.audit.log.AuditRetention;
import dev.warden.audit.log.AuditScheduler;
import dev.warden.audit.log.AuditSearch;
import dev.warden.audit.log.AuditVerifications;
import dev.warden.audit.log.AuditVerifier;
import dev.warden.audit.log.AuditView;
import dev.warden.audit.log.AuditWriter;
import dev.warden.audit.log.ExportFormat;
import dev.warden.audit.log.LegalHold;
import dev.warden.audit.log.RetentionPolicy;
import dev.warden.call.EntryPoint;
import dev.warden.call.GuardAction;
import dev.warden.config.Jsonp;
import dev.warden.crypto.AuditCryptoException;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The audit log for auditors ({@code /api/audit}): search by metadata, a record's decrypted detail,
 * chain verification and a decrypted, verifiable export. Only the auditor roles: an admin without
 * one is refused (403), as is an {@code ai-user}. An {@code auditor} reads its own tenant's records
 * only, enforced in each query (another tenant's record is 404, asking to search another tenant
 * 403); an {@code auditor-all-tenants} reads every tenant's. Every read of audit content (detail,
 * export) is itself an audit record ({@value AuditReader#READ}, {@value AuditExport#EXPORT}) naming
 * the reader, written before the content is handed out. Erasing a data subject ({@code POST
 * /api/audit/erasures}) takes a reason and answers with the erasure's own record.
 */
@Path("/api/audit")
@Allowed({Role.AUDITOR, Role.AUDITOR_ALL_TENANTS})
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
  private static final Logger LOG = Logger.getLogger(AuditResource.class.getName());

  /** The range searched when {@code from} is not given. */
  static final Duration SEARCH_DEFAULT = Duration.ofDays(7);

  /** The range exported when {@code from} is not given. */
  static final Duration EXPORT_DEFAULT = Duration.ofDays(1);

  /** The longest range of a search or an export. */
  static final Duration MAX_SPAN = Duration.ofDays(366);

  static final String ZIP = "application/zip";

  static final Set<String> ERASURE_FIELDS = Set.of("subject", "tenant", "reason");

  static final Set<String> DECRYPT_FIELDS = Set.of("reason");

  static final Set<String> HOLD_FIELDS = Set.of("scope", "tenant", "subject", "reason");

  /** The longest reason for reading, erasing, placing or lifting. */
  static final int MAX_REASON = 1000;

  @Inject AuditReader reader;
  @Inject AuditWriter writer;
  @Inject AuditVerifier verifier;
  @Inject AuditVerifications verifications;
  @Inject AuditSearch search;
  @Inject AuditExport export;
  @Inject AuditErasure erasure;
  @Inject AuditCheckpoints checkpoints;
  @Inject AuditRetention retention;
  @Inject AuditScheduler scheduler;
  @Inject Clock clock;

  @Context SecurityContext security;

  /**
   * Searches audit records by metadata, newest first, paginated: records created in {@code [from,
   * to)} (ISO-8601 instants; default the last 7 days; at most 366 days) matching every filter
   * given. No decrypted content: each record says only which encrypted fields it holds.
   */
  @GET
  @Operation(
      summary = "Search the audit log",
      description =
          "Audit records created in [from, to) (ISO-8601 instants; default the last 7 days, at most"
              + " 366 days) that match every given filter: principal, tenant, model (requested or"
              + " answering), outcome (SUCCEEDED, FAILED, CANCELLED), prompt_id, prompt_version"
              + " (1.2.0 matches 1.2.0+sha256.…), operation, entry_point, request_id, pii_type (a"
              + " PII type found in the request, such as EMAIL), guard_action (ALLOW, FLAG,"
              + " BLOCK). Newest first (sort=time_desc, the default) or oldest first"
              + " (sort=time_asc), paginated (offset, limit). Metadata only, never decrypted content. Role auditor (its own"
              + " tenant's records; tenant=another: 403) or auditor-all-tenants.")
  public JsonObject search(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("principal") String principal,
      @QueryParam("tenant") String tenant,
      @QueryParam("model") String model,
      @QueryParam("outcome") String outcome,
      @QueryParam("prompt_id") String promptId,
      @QueryParam("prompt_version") String promptVersion,
      @QueryParam("operation") String operation,
      @QueryParam("entry_point") String entryPoint,
      @QueryParam("request_id") String requestId,
      @QueryParam("pii_type") String piiType,
      @QueryParam("guard_action") String guardAction,
      @QueryParam("sort") String sort,
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("50") int limit) {
    Page page = Page.of(offset, limit);
    Instant[] range = range(from, to, SEARCH_DEFAULT);
    String ofTenant = tenantParam(blankToNull(tenant));
    AuditSearch.Query query =
        new AuditSearch.Query(
            range[0],
            range[1],
            blankToNull(principal),
            ofTenant,
            blankToNull(model),
            upper(outcome),
            blankToNull(promptId),
            blankToNull(promptVersion),
            blankToNull(operation),
            upper(entryPoint),
            blankToNull(requestId),
            piiType(piiType),
            guardAction(guardAction),
            oldestFirst(sort));
    List<AuditRecord> found = search.search(query, page.offset(), page.limit() + 1);
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
    found.stream().limit(page.limit()).forEach(r -> data.add(ExportFormat.metadata(r)));
    return Jsonp.createObjectBuilder(page.wrap(data, found.size() > page.limit()))
        .add("from", range[0].toString())
        .add("to", range[1].toString())
        .build();
  }

  /**
   * One record with its decrypted request (as sent upstream, so redacted text stays redacted),
   * answer and error. An erased subject's fields read {@code erased}. The read is recorded ({@value
   * AuditReader#READ}) before the answer; if that record cannot be written, nothing is shown.
   */
  @GET
  @Path("/{recordId}")
  @Operation(
      summary = "Read one audit record, decrypted",
      description =
          "The record's metadata and its decrypted content: the request as sent upstream (redacted"
              + " text stays redacted), the upstream answer and the error message, each with a state"
              + " (present, absent, erased). The read is itself recorded (operation audit.read,"
              + " naming the reader) before the content is returned. 404 for an unknown id, and for"
              + " another tenant's record to an auditor. Role auditor or auditor-all-tenants.")
  public JsonObject detail(@PathParam("recordId") String recordId) {
    return decrypted(recordId, null);
  }

  /**
   * {@link #detail} with the reason the auditor gives for reading the content, kept (encrypted) in
   * the read's own record and listed by {@link #reads}.
   */
  @POST
  @Path("/{recordId}/decrypt")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Read one audit record, decrypted, saying why",
      description =
          "As GET /api/audit/{recordId} (the record's metadata and its decrypted request, answer"
              + " and error), with the reason for reading it. Body: reason (required, 1 to 1000"
              + " characters). The read is recorded (operation audit.read, naming the reader, the"
              + " reason encrypted under the reader's tenant key) before the content is returned;"
              + " GET /api/audit/{recordId}/reads lists it. 400 without a reason; 404 for an"
              + " unknown id, and for another tenant's record to an auditor. Role auditor or"
              + " auditor-all-tenants.")
  public JsonObject decrypt(@PathParam("recordId") String recordId, JsonObject body) {
    ApiBody.of(body, DECRYPT_FIELDS);
    return decrypted(recordId, reason(body, "why the content is read"));
  }

  /** A record's metadata, nothing decrypted, no read recorded. */
  @GET
  @Path("/{recordId}/metadata")
  @Operation(
      summary = "One audit record's metadata",
      description =
          "The record's metadata as a search row shows it (principal, tenant, models, tokens,"
              + " cost, outcome, PII types found, guard verdict, which encrypted fields it holds),"
              + " nothing decrypted and no read recorded. 404 for an unknown id, and for another"
              + " tenant's record to an auditor. Role auditor or auditor-all-tenants.")
  public JsonObject metadata(@PathParam("recordId") String recordId) {
    return ExportFormat.metadata(
        reader.metadata(recordId, scope()).orElseThrow(() -> notFound(recordId)));
  }

  /** Who read a record's decrypted content, when and why, newest first. */
  @GET
  @Path("/{recordId}/reads")
  @Operation(
      summary = "Who read one audit record's content",
      description =
          "The reads of the record's decrypted content, newest first, paginated (offset, limit):"
              + " each with the read's own audit record id (read_record_id), the reader's"
              + " principal and tenant, the time and the reason given to POST"
              + " /api/audit/{recordId}/decrypt (null for GET /api/audit/{recordId}). Exports that"
              + " included the record are not listed (operation audit.export). 404 for an"
              + " unknown id, and for another tenant's record to an auditor. Role auditor or"
              + " auditor-all-tenants.")
  public JsonObject reads(
      @PathParam("recordId") String recordId,
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("50") int limit) {
    Page page = Page.of(offset, limit);
    if (reader.metadata(recordId, scope()).isEmpty()) {
      throw notFound(recordId);
    }
    List<AuditReader.Read> reads;
    try {
      reads = reader.reads(recordId, page.offset(), page.limit() + 1);
    } catch (AuditCryptoException e) {
      LOG.log(Level.WARNING, "WARDEN0370W: a read of audit record {0} does not decrypt", recordId);
      throw unreadable("the reason of a read", recordId);
    }
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
    reads.stream()
        .limit(page.limit())
        .forEach(
            r -> {
              JsonObjectBuilder o =
                  Jsonp.createObjectBuilder()
                      .add("read_record_id", r.readRecordId())
                      .add("reader", r.reader())
                      .add("reader_tenant", r.readerTenant())
                      .add("at", r.at().toString());
              JsonFields.nullable(o, "reason", r.reason());
              data.add(o);
            });
    return page.wrap(data, reads.size() > page.limit());
  }

  /**
   * The record decrypted, after its read is recorded (with {@code reason}, may be null); if that
   * record cannot be written, nothing is shown.
   */
  private JsonObject decrypted(String recordId, String reason) {
    AuditView view;
    try {
      view = reader.read(recordId, scope()).orElseThrow(() -> notFound(recordId));
    } catch (AuditCryptoException e) {
      LOG.log(Level.WARNING, "WARDEN0351W: audit record {0} does not decrypt", recordId);
      throw unreadable("an encrypted field", recordId);
    }
    writer.recordRead(AccessFilter.identityOf(security).caller(), recordId, reason);
    return Jsonp.createObjectBuilder(ExportFormat.metadata(view.record()))
        .add(
            "content",
            Jsonp.createObjectBuilder()
                .add("request", content(view.request(), true))
                .add("answer", content(view.answer(), true))
                .add("error", content(view.error(), false)))
        .build();
  }

  private static ProblemException notFound(String recordId) {
    return new ProblemException(404, "not_found", "no audit record " + recordId);
  }

  /**
   * Erases a data subject by crypto-shredding (their data key is destroyed on every server; their
   * records stay and still verify, their content reads {@code erased}) and answers with the
   * erasure's own audit record, which keeps the reason.
   */
  @POST
  @Path("/erasures")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Erase a data subject",
      description =
          "Destroys the data key of the data subject (the id a request named as safety_identifier"
              + " or user) in a tenant (an auditor: its own, the default; auditor-all-tenants: any,"
              + " default 'default'). The records stay and still verify; their request, answer and"
              + " error read erased from then on, on every server. Body: subject, reason (kept"
              + " encrypted in the erasure's record), tenant. Answers 201 with subject_had_key and"
              + " the erasure's audit record. Role auditor or auditor-all-tenants.")
  public Response erase(JsonObject body) {
    ApiBody.of(body, ERASURE_FIELDS);
    String subject = ApiBody.requiredString(body, "subject", "the data subject's id");
    String reason = ApiBody.requiredString(body, "reason", "why the subject is erased");
    if (subject.length() > 200) {
      throw ProblemException.badParameter("subject", "at most 200 characters");
    }
    withinLength(reason);
    String tenant =
        body.containsKey("tenant") ? ApiBody.requiredString(body, "tenant", "a tenant") : null;
    String asked = tenantParam(tenant);
    String of = asked != null ? asked : AuditWriter.TENANT;
    AuditErasure.Erasure done = erasure.eraseRecorded(EntryPoint.API, of, subject, reason);
    return Response.status(201)
        .entity(
            Jsonp.createObjectBuilder()
                .add("tenant", of)
                .add("subject_had_key", done.hadKey())
                .add("erasure_record", ExportFormat.metadata(done.record()))
                .build())
        .build();
  }

  /**
   * Walks the whole chain (records, checkpoints, purged ranges, signed head) and says whether it is
   * intact, or names the first broken record and why.
   */
  @POST
  @Path("/verify")
  @Operation(
      summary = "Verify the audit chain",
      description =
          "Walks the whole hash chain against the stored checkpoints, purged ranges and the signed"
              + " chain head. Answers ok true with the counts checked, or ok false with the first"
              + " broken record (sequence, record id, reason such as CONTENT_MODIFIED or"
              + " RECORD_MISSING, detail). Role auditor-all-tenants, or auditor: a broken record"
              + " of another tenant is named by sequence and reason only.")
  public JsonObject verify() {
    return resultJson(AuditVerifications.Result.of(verifier.verify()), scope());
  }

  /**
   * Starts verifying the whole chain in the background, on the server's managed executor: answers
   * 202 at once with the verification's id (and its URL in {@code Location}); {@link #verification}
   * polls it, on any server.
   */
  @POST
  @Path("/verifications")
  @Operation(
      summary = "Start verifying the audit chain in the background",
      description =
          "Starts the verification POST /api/audit/verify makes, in the background, and answers"
              + " 202 at once with its id (Location: its URL), state running, records_checked 0,"
              + " records_total (the records up to the chain head) and started_at. Poll GET"
              + " /api/audit/verifications/{id}, on any server. Role auditor or"
              + " auditor-all-tenants.")
  public Response startVerification(@Context UriInfo uri) {
    AuditVerifications.Verification v =
        verifications.start(AccessFilter.identityOf(security).caller().principal());
    return Response.status(202)
        .location(uri.getAbsolutePathBuilder().path(v.id()).build())
        .entity(verificationJson(v, scope()))
        .build();
  }

  /** A background verification: its state, progress and, once done, its result. */
  @GET
  @Path("/verifications/{id}")
  @Operation(
      summary = "A background verification of the audit chain",
      description =
          "The verification's id, state (running, done, failed), records_checked (updated every"
              + " 1000 records while it runs), records_total, started_at, finished_at (null while"
              + " running), requested_by; when done, result: the object POST /api/audit/verify"
              + " answers (ok, counts, head_sequence, first_break); when failed, error. A"
              + " verification whose server stopped reads failed after 10 minutes without"
              + " progress. 404 for an unknown id. Role auditor or auditor-all-tenants (an"
              + " auditor: a broken record of another tenant is named by sequence and reason"
              + " only).")
  public JsonObject verification(@PathParam("id") String id) {
    return verificationJson(
        verifications
            .find(id)
            .orElseThrow(() -> new ProblemException(404, "not_found", "no verification " + id)),
        scope());
  }

  private JsonObject verificationJson(AuditVerifications.Verification v, String own) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add("id", v.id())
            .add("state", v.state().name().toLowerCase(Locale.ROOT))
            .add("records_checked", v.recordsChecked())
            .add("records_total", v.recordsTotal())
            .add("started_at", v.startedAt().toString())
            .add("requested_by", v.requestedBy());
    JsonFields.nullable(o, "finished_at", v.finishedAt());
    v.result().ifPresent(r -> o.add("result", resultJson(r, own)));
    if (v.error() != null) {
      o.add("error", v.error());
    }
    return o.build();
  }

  /** What POST /api/audit/verify answers. */
  private JsonObject resultJson(AuditVerifications.Result result, String own) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add("ok", result.ok())
            .add("records_checked", result.recordsChecked())
            .add("checkpoints_checked", result.checkpointsChecked())
            .add("purged_ranges_checked", result.purgedRangesChecked())
            .add("head_sequence", result.headSequence());
    result
        .firstBreak()
        .ifPresentOrElse(
            b -> o.add("first_break", breakJson(b, own == null || ownRecord(b, own))),
            () -> o.addNull("first_break"));
    return o.build();
  }

  /**
   * The stored checkpoints, newest first, and the head of every chain (whether a checkpoint signs
   * it).
   */
  @GET
  @Path("/checkpoints")
  @Operation(
      summary = "The audit chain's checkpoints and head",
      description =
          "The stored checkpoints, newest first, paginated (offset, limit): chain, chains (how"
              + " many chains the log had when it was made; 0 before the log was partitioned),"
              + " sequence, created_at, hash (hex) and seal (ed25519, or hmac for checkpoints"
              + " sealed before Warden had a signing key). heads: each chain's head: chain,"
              + " sequence, record_id and created_at (null when the chain is empty or that record"
              + " was purged; an auditor sees the id of its own tenant's record only) and"
              + " signed_by_checkpoint (the head's sequence when a checkpoint of exactly this head"
              + " is stored, else null); head: the one with the newest record. Role auditor or"
              + " auditor-all-tenants.")
  public JsonObject checkpoints(
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("50") int limit) {
    Page page = Page.of(offset, limit);
    List<Checkpoint> found = checkpoints.page(page.offset(), page.limit() + 1);
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
    found.stream()
        .limit(page.limit())
        .forEach(
            c ->
                data.add(
                    Jsonp.createObjectBuilder()
                        .add("chain", c.chain())
                        .add("chains", c.chains())
                        .add("sequence", c.sequence())
                        .add("created_at", c.createdAt().toString())
                        .add("hash", HexFormat.of().formatHex(c.hash()))
                        .add("seal", c.sealKind() == SealKind.ED25519 ? "ed25519" : "hmac")));
    String own = scope();
    JsonArrayBuilder heads = Jsonp.createArrayBuilder();
    AuditCheckpoints.Head newest = null;
    for (AuditCheckpoints.Head head : checkpoints.heads()) {
      heads.add(headJson(head, own));
      if (newest == null
          || (head.createdAt() != null
              && (newest.createdAt() == null || head.createdAt().isAfter(newest.createdAt())))) {
        newest = head;
      }
    }
    JsonObjectBuilder out =
        Jsonp.createObjectBuilder(page.wrap(data, found.size() > page.limit())).add("heads", heads);
    if (newest == null) {
      out.addNull("head");
    } else {
      out.add("head", headJson(newest, own));
    }
    return out.build();
  }

  private static JsonObjectBuilder headJson(AuditCheckpoints.Head head, String own) {
    JsonObjectBuilder h =
        Jsonp.createObjectBuilder().add("chain", head.chain()).add("sequence", head.sequence());
    JsonFields.nullable(
        h, "record_id", own == null || own.equals(head.tenant()) ? head.recordId() : null);
    JsonFields.nullable(h, "created_at", head.createdAt());
    JsonFields.nullable(h, "signed_by_checkpoint", head.checkpointed() ? head.sequence() : null);
    return h;
  }

  /** The legal holds, newest first: of the auditor's tenant, or of every tenant. */
  @GET
  @Path("/holds")
  @Operation(
      summary = "Legal holds",
      description =
          "The legal holds, newest first: id, scope (tenant or subject), tenant, data_subject"
              + " (the subject's pseudonym, null for a tenant hold), reason, placed_by, placed_at,"
              + " active, and once lifted lifted_by, lifted_at, lift_reason. active=true lists"
              + " only the holds not lifted; tenant= one tenant's. An auditor sees its own"
              + " tenant's holds (tenant=another: 403). Role auditor or auditor-all-tenants.")
  public JsonObject holds(
      @QueryParam("active") String active, @QueryParam("tenant") String tenant) {
    Boolean activeOnly = bool("active", active);
    String of = tenantParam(blankToNull(tenant));
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
    List<LegalHold> all =
        Boolean.TRUE.equals(activeOnly) ? retention.activeHolds() : retention.allHolds();
    all.stream()
        .filter(h -> of == null || of.equals(h.tenant()))
        .filter(h -> !Boolean.FALSE.equals(activeOnly) || !h.active())
        .sorted(Comparator.comparing(LegalHold::placedAt).reversed())
        .forEach(h -> data.add(holdJson(h)));
    return Jsonp.createObjectBuilder().add("data", data).build();
  }

  /** Places a legal hold on a tenant or a data subject; recorded in the audit log. */
  @POST
  @Path("/holds")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Place a legal hold",
      description =
          "Exempts every record of a tenant (scope tenant) or of one data subject of it (scope"
              + " subject, with subject: the id a request named as safety_identifier or user;"
              + " stored pseudonymised) from purges until it is lifted. Body: scope, reason"
              + " (required, at most 1000 characters; stored in clear with the hold: write a case"
              + " reference, not personal data), tenant (an auditor: its own, the default;"
              + " auditor-all-tenants: any, default 'default'), subject. Placing it is itself an"
              + " audit record (operation audit.hold.place, the reason encrypted), named by"
              + " audit_record_id. Answers 201 with the hold. Role auditor or"
              + " auditor-all-tenants.")
  public Response placeHold(JsonObject body, @Context UriInfo uri) {
    ApiBody.of(body, HOLD_FIELDS);
    String scopeName = ApiBody.requiredString(body, "scope", "tenant or subject");
    LegalHold.Scope holdScope;
    try {
      holdScope = LegalHold.Scope.valueOf(scopeName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badParameter("scope", "tenant or subject, not " + scopeName);
    }
    String reason = reason(body, "why");
    String subject = null;
    if (holdScope == LegalHold.Scope.SUBJECT) {
      subject = ApiBody.requiredString(body, "subject", "the data subject's id");
      if (subject.length() > 200) {
        throw ProblemException.badParameter("subject", "at most 200 characters");
      }
    } else if (body.containsKey("subject")) {
      throw ProblemException.badParameter("subject", "a tenant hold names no subject");
    }
    String tenant =
        body.containsKey("tenant") ? ApiBody.requiredString(body, "tenant", "a tenant") : null;
    if (tenant != null && tenant.length() > 200) {
      throw ProblemException.badParameter("tenant", "at most 200 characters");
    }
    String own = scope();
    String of = tenantParam(tenant);
    if (of == null) {
      of = own != null ? own : AuditWriter.TENANT;
    }
    AuditRetention.Recorded placed =
        retention.place(
            EntryPoint.API,
            holdScope,
            of,
            subject,
            reason,
            AccessFilter.identityOf(security).caller().principal());
    return Response.created(uri.getAbsolutePathBuilder().path(placed.hold().holdId()).build())
        .entity(
            Jsonp.createObjectBuilder(holdJson(placed.hold()))
                .add("audit_record_id", placed.recordId())
                .build())
        .build();
  }

  /** Lifts an active legal hold; recorded in the audit log. */
  @DELETE
  @Path("/holds/{id}")
  @Operation(
      summary = "Lift a legal hold",
      description =
          "Lifts an active legal hold: its records may be purged again once expired. The reason"
              + " (required, at most 1000 characters) comes as query parameter reason or as a"
              + " JSON body {\"reason\"}. Lifting is itself an audit record (operation"
              + " audit.hold.lift), named by audit_record_id. Answers 200 with the lifted hold;"
              + " 404 for an unknown hold (and another tenant's to an auditor); 409"
              + " hold_already_lifted. Role auditor or auditor-all-tenants.")
  public JsonObject liftHold(
      @PathParam("id") String id, @QueryParam("reason") String reasonParam, String body) {
    String reason;
    if (body != null && !body.isBlank()) {
      if (reasonParam != null) {
        throw ProblemException.badParameter("reason", "give it in the query or the body, not both");
      }
      JsonObject o;
      try (JsonReader r = Jsonp.createReader(new StringReader(body))) {
        o = r.readObject();
      } catch (JsonException | ClassCastException e) {
        throw new ProblemException(400, "invalid_body", "a JSON object {\"reason\"} is expected");
      }
      ApiBody.of(o, DECRYPT_FIELDS);
      reason = reason(o, "why");
    } else {
      if (reasonParam == null || reasonParam.isBlank()) {
        throw ProblemException.badParameter("reason", "required: why the hold is lifted");
      }
      reason = withinLength(reasonParam.strip());
    }
    String own = scope();
    LegalHold hold =
        retention
            .hold(id)
            .filter(h -> own == null || own.equals(h.tenant()))
            .orElseThrow(() -> new ProblemException(404, "not_found", "no legal hold " + id));
    if (!hold.active()) {
      throw new ProblemException(
          409, "hold_already_lifted", "the legal hold " + id + " was lifted at " + hold.liftedAt());
    }
    AuditRetention.Recorded lifted =
        retention
            .lift(
                EntryPoint.API, id, reason, AccessFilter.identityOf(security).caller().principal())
            .orElseThrow(
                () ->
                    new ProblemException(
                        409, "hold_already_lifted", "the legal hold " + id + " was lifted"));
    return Jsonp.createObjectBuilder(holdJson(lifted.hold()))
        .add("audit_record_id", lifted.recordId())
        .build();
  }

  /** The retention settings and the state of purges. */
  @GET
  @Path("/retention")
  @Operation(
      summary = "Retention of the audit log",
      description =
          "retention: how long records are kept (ISO-8601; an auditor: its tenant's,"
              + " auditor-all-tenants: the default); default_retention; tenant_retention (the"
              + " tenants with their own, an auditor: its own only); purge_interval (null when"
              + " purges are disabled); next_purge_at (this server's next purge; every server"
              + " purges on its own schedule); last_purge_at (the last purge's record, any"
              + " server); active_holds (an auditor: its tenant's). Role auditor or"
              + " auditor-all-tenants.")
  public JsonObject retentionSettings() {
    RetentionPolicy policy = retention.policy();
    String own = scope();
    JsonObjectBuilder tenants = Jsonp.createObjectBuilder();
    policy.tenants().entrySet().stream()
        .filter(e -> own == null || own.equals(e.getKey()))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> tenants.add(e.getKey(), e.getValue().toString()));
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add(
                "retention",
                (own == null ? policy.defaultRetention() : policy.retention(own)).toString())
            .add("default_retention", policy.defaultRetention().toString())
            .add("tenant_retention", tenants);
    JsonFields.nullable(o, "purge_interval", scheduler.purgeInterval().orElse(null));
    JsonFields.nullable(o, "next_purge_at", scheduler.nextPurge().orElse(null));
    JsonFields.nullable(o, "last_purge_at", retention.lastPurge().orElse(null));
    o.add(
        "active_holds",
        retention.activeHolds().stream()
            .filter(h -> own == null || own.equals(h.tenant()))
            .count());
    return o.build();
  }

  private static JsonObject holdJson(LegalHold h) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add("id", h.holdId())
            .add("scope", h.scope().name().toLowerCase(Locale.ROOT))
            .add("tenant", h.tenant());
    JsonFields.nullable(o, "data_subject", h.dataSubject());
    o.add("reason", h.reason())
        .add("placed_by", h.placedBy())
        .add("placed_at", h.placedAt().toString())
        .add("active", h.active());
    JsonFields.nullable(o, "lifted_by", h.liftedBy());
    JsonFields.nullable(o, "lifted_at", h.liftedAt());
    JsonFields.nullable(o, "lift_reason", h.liftReason());
    return o.build();
  }

  /** 500 for content of a record that does not authenticate (its ciphertext was changed). */
  private static ProblemException unreadable(String what, String recordId) {
    return new ProblemException(
        500,
        "audit_content_unreadable",
        what
            + " of audit record "
            + recordId
            + " does not authenticate; POST /api/audit/verify names the broken record");
  }

  /** The body's required reason ({@code why} says what it is for), within its length. */
  private static String reason(JsonObject body, String why) {
    return withinLength(ApiBody.requiredString(body, "reason", why));
  }

  /** A reason of at most {@value #MAX_REASON} characters (400 otherwise). */
  private static String withinLength(String reason) {
    if (reason.length() > MAX_REASON) {
      throw ProblemException.badParameter("reason", "at most " + MAX_REASON + " characters");
    }
    return reason;
  }

  /**
   * The tenant asked for (a tenant-scoped auditor: its own only, another is 403), else the
   * auditor's own; null for an all-tenant auditor who asked for none.
   */
  private String tenantParam(String tenant) {
    String own = scope();
    if (own != null && tenant != null && !tenant.equals(own)) {
      throw new ProblemException(
          403,
          "permission_denied",
          "You audit the tenant " + own + " only (role auditor-all-tenants: every tenant)");
    }
    return tenant != null ? tenant : own;
  }

  private static Boolean bool(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw ProblemException.badParameter(name, "true or false, not " + value);
    };
  }

  /**
   * The public key that checks checkpoints and exports offline: a Tink JSON public keyset
   * (Ed25519), no secret in it. 404 when Warden seals with its MAC keyset only.
   */
  @GET
  @Path("/public-key")
  @Operation(
      summary = "The audit public key",
      description =
          "The Tink JSON public keyset (Ed25519) that checks the signatures of checkpoints, purged"
              + " ranges and export manifests: java -jar warden-audit-verify.jar export.zip"
              + " public-key.json. It holds no secret and cannot sign. Compare it with the copy"
              + " your operators handed you before trusting it. 404 when no signing keyset is"
              + " configured (development with a MAC keyset only). Role auditor or"
              + " auditor-all-tenants.")
  public Response publicKey() {
    String json =
        export
            .publicKeyJson()
            .orElseThrow(
                () ->
                    new ProblemException(
                        404,
                        "not_found",
                        "no audit signing key is configured: checkpoints and exports are sealed"
                            + " with the MAC keyset"));
    return Response.ok(json, MediaType.APPLICATION_JSON)
        .header("Content-Disposition", "attachment; filename=\"warden-audit-public-key.json\"")
        .build();
  }

  /**
   * A decrypted export of the records created in {@code [from, to)} (default the last 24 hours; at
   * most 366 days) as a zip of {@code records.jsonl} and {@code manifest.json}: {@code java -jar
   * warden-audit-verify.jar <zip> <public-key.json>} verifies it offline, including each line's
   * decrypted content against its signature. Recorded ({@value AuditExport#EXPORT}, naming the
   * reader) before it is sent.
   */
  @GET
  @Path("/export")
  @Produces({ZIP, MediaType.APPLICATION_JSON})
  @Operation(
      summary = "Export the audit log, decrypted and verifiable",
      description =
          "A zip holding records.jsonl (one record per line as stored, plus its decrypted content"
              + " and an Ed25519 signature of that content, by chain and sequence) and"
              + " manifest.json (count; for each chain its first and last sequence number and"
              + " hash and a signature of those bounds; checkpoints, purged ranges) for the"
              + " records created in [from, to) (ISO-8601 instants; default the"
              + " last 24 hours, at most 366 days). java -jar warden-audit-verify.jar <zip>"
              + " <public-key.json> verifies it offline (GET /api/audit/public-key). The export"
              + " is itself recorded (operation audit.export, naming the reader). Role auditor-all-tenants, or auditor: its own tenant's records only"
              + " (the manifest names the tenant; the verifier then checks each record, not the"
              + " links between them).")
  public Response export(@QueryParam("from") String from, @QueryParam("to") String to) {
    Instant[] range = range(from, to, EXPORT_DEFAULT);
    java.nio.file.Path dir;
    AuditExport.Summary summary;
    try {
      dir = Files.createTempDirectory("warden-audit-export");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the audit export", e);
    }
    try {
      summary =
          export.exportDecrypted(
              range[0], range[1], dir, AccessFilter.identityOf(security).caller(), scope());
    } catch (RuntimeException e) {
      delete(dir);
      throw e;
    }
    java.nio.file.Path written = dir;
    StreamingOutput zip =
        out -> {
          try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : List.of(ExportFormat.RECORDS, ExportFormat.MANIFEST)) {
              z.putNextEntry(new ZipEntry(name));
              Files.copy(written.resolve(name), z);
              z.closeEntry();
            }
          } finally {
            delete(written);
          }
        };
    String file =
        "warden-audit-"
            + range[0].toString().replace(':', '-')
            + "--"
            + range[1].toString().replace(':', '-')
            + ".zip";
    return Response.ok(zip, ZIP)
        .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
        .header("Warden-Export-Count", summary.count())
        .build();
  }

  private static void delete(java.nio.file.Path dir) {
    try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "WARDEN0352W: the audit export directory {0} stays", dir);
    }
  }

  /**
   * The first break; for a tenant-scoped auditor the record's id and the detail only when the
   * broken record is of its tenant (the sequence and reason always: the chain is shared).
   */
  private static JsonObject breakJson(ChainBreak b, boolean named) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add("chain", b.chain())
            .add("sequence", b.sequence())
            .add("reason", b.reason().name())
            .add("detail", named ? b.detail() : "a record of another tenant");
    b.recordId()
        .filter(id -> named)
        .ifPresentOrElse(id -> o.add("record_id", id), () -> o.addNull("record_id"));
    return o.build();
  }

  private boolean ownRecord(ChainBreak b, String tenant) {
    return b.recordId().flatMap(reader::tenantOf).map(tenant::equals).orElse(false);
  }

  /** The tenant a tenant-scoped auditor reads, or null for an all-tenant auditor. */
  private String scope() {
    return AccessFilter.identityOf(security).auditedTenant().orElse(null);
  }

  /** A decrypted field; JSON content (request, answer) as JSON when it parses. */
  private static JsonObject content(AuditView.Field f, boolean json) {
    JsonObject plain = ExportFormat.field(f);
    if (!json || f.value() == null) {
      return plain;
    }
    try (JsonReader reader = Jsonp.createReader(new StringReader(f.value()))) {
      return Jsonp.createObjectBuilder(plain).add("value", reader.readValue()).build();
    } catch (JsonException e) {
      return plain;
    }
  }

  private Instant[] range(String fromParam, String toParam, Duration defaultSpan) {
    Instant to = instant("to", toParam, clock.instant());
    Instant from = instant("from", fromParam, to.minus(defaultSpan));
    if (!from.isBefore(to)) {
      throw ProblemException.badParameter("from", "must be before to");
    }
    if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
      throw ProblemException.badParameter(
          "from", "a range spans at most " + MAX_SPAN.toDays() + " days");
    }
    return new Instant[] {from, to};
  }

  private static Instant instant(String name, String value, Instant fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw ProblemException.badParameter(
          name, "not an ISO-8601 instant (such as 2026-11-22T00:00:00Z): " + value);
    }
  }

  /** A PII type as recorded ({@code EMAIL}, {@code CREDIT_CARD}, a custom recognizer's name). */
  private static String piiType(String value) {
    String v = upper(value);
    if (v != null && !v.matches("[A-Z0-9_.-]{1,100}")) {
      throw ProblemException.badParameter(
          "pii_type", "a PII type such as EMAIL (letters, digits, _ . -): " + value);
    }
    return v;
  }

  private static String guardAction(String value) {
    String v = upper(value);
    if (v == null) {
      return null;
    }
    try {
      return GuardAction.valueOf(v).name();
    } catch (IllegalArgumentException e) {
      throw ProblemException.badParameter(
          "guard_action", "one of " + List.of(GuardAction.values()) + ", not " + value);
    }
  }

  private static boolean oldestFirst(String sort) {
    String v = blankToNull(sort);
    if (v == null || v.equals("time_desc")) {
      return false;
    }
    if (v.equals("time_asc")) {
      return true;
    }
    throw ProblemException.badParameter("sort", "time_desc (the default) or time_asc, not " + sort);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String upper(String s) {
    String v = blankToNull(s);
    return v == null ? null : v.toUpperCase(Locale.ROOT);
  }
}
