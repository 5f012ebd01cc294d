package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.EntryPoint;
import dev.warden.call.Outcome;
import dev.warden.call.PiiCounts;
import dev.warden.call.PromptRef;
import dev.warden.call.Verdict;
import dev.warden.config.Jsonp;
import dev.warden.cost.Admission;
import dev.warden.cost.Reservation;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.PlaceholderVault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Submits deferred calls ({@link DeferredCalls}): every call takes the pipeline's stages up to the
 * upstream — validation, admission with its worst case reserved at the batch price, redaction into
 * one vault per submission, screening — then the admitted ones go upstream as the lines of one
 * uploaded JSONL file and one batch. A refusal fails that call only, with its record.
 */
@ApplicationScoped
public class DeferredSubmitter {

  private static final Logger LOG = Logger.getLogger(DeferredCalls.class.getName());

  private final Pipeline pipeline;
  private final StoredObjects objects;
  private final Protection protection;
  private final CallRecorder recorder;
  private final Admission admission;
  private final DeferredStore store;
  private final Clock clock;

  @Inject
  DeferredSubmitter(
      Pipeline pipeline,
      StoredObjects objects,
      Protection protection,
      CallRecorder recorder,
      Admission admission,
      DeferredStore store,
      Clock clock) {
    this.pipeline = pipeline;
    this.objects = objects;
    this.protection = protection;
    this.recorder = recorder;
    this.admission = admission;
    this.store = store;
    this.clock = clock;
  }

  /** For CDI's client proxy. */
  protected DeferredSubmitter() {
    this(null, null, null, null, null, null, null);
  }

  /** A submitted call, or one refused at submission and why. */
  record Submitted(DeferredCall call, RuntimeException failure) {}

  /** An admitted call waiting for its batch, with the request it sends. */
  private record Prepared(String id, CallContext call, Traffic<?, ?> traffic) {}

  /**
   * Submits {@code requests} together, in one batch, each admitted on its own.
   *
   * @throws dev.warden.openai.error.BadRequestException if one is malformed (then none is sent)
   */
  <Req, Ans> List<Submitted> submit(
      EntryPoint entry, DeferredKinds.Kind<Req, Ans> kind, List<Req> requests) {
    if (requests == null || requests.isEmpty()) {
      throw new IllegalArgumentException("no request to defer");
    }
    for (Req request : requests) {
      kind.validate(request);
    }
    PlaceholderVault vault = new PlaceholderVault();
    Map<String, RuntimeException> refused = new HashMap<>();
    List<DeferredCallEntity> rows = new ArrayList<>();
    List<Prepared> admitted = new ArrayList<>();
    for (Req request : requests) {
      String id = "dfr_" + UUID.randomUUID().toString().replace("-", "");
      CallContext call = recorder.start(entry, kind.model(request));
      call.routeNote("deferred: Batch API");
      call.batched(true);
      Traffic<Req, Ans> traffic = new Traffic<>(kind.kind());
      try {
        protection.protect(kind.kind(), kind.admit(request, call), vault, traffic, call);
        admitted.add(new Prepared(id, call, traffic));
      } catch (RuntimeException e) {
        rows.add(refuse(id, kind, call, traffic, e));
        refused.put(id, e);
      }
    }
    if (!admitted.isEmpty()) {
      try {
        rows.addAll(send(entry, kind, admitted, vault));
      } catch (RuntimeException e) {
        for (Prepared p : admitted) {
          rows.add(refuse(p.id(), kind, p.call(), p.traffic(), e));
          refused.put(p.id(), e);
        }
      }
    }
    try {
      store.save(rows);
    } catch (RuntimeException e) {
      abandon(kind, admitted, rows, e);
      throw e;
    }
    Map<String, DeferredCallEntity> byId =
        rows.stream().collect(Collectors.toMap(r -> r.id, r -> r));
    List<Submitted> out = new ArrayList<>();
    for (DeferredCallEntity row : rows) {
      out.add(new Submitted(byId.get(row.id).view(), refused.get(row.id)));
    }
    return out;
  }

  /** Uploads the admitted calls as one file and creates their batch; returns their rows. */
  private List<DeferredCallEntity> send(
      EntryPoint entry,
      DeferredKinds.Kind<?, ?> kind,
      List<Prepared> admitted,
      PlaceholderVault vault) {
    StringBuilder jsonl = new StringBuilder();
    for (Prepared p : admitted) {
      jsonl
          .append(
              Jsonp.createObjectBuilder()
                  .add("custom_id", p.id())
                  .add("method", "POST")
                  .add("url", kind.endpoint())
                  .add("body", DeferredPoller.json(SharedJsonb.JSONB.toJson(p.traffic().sent())))
                  .build())
          .append('\n');
    }
    String name = "warden-deferred-" + admitted.get(0).id() + ".jsonl";
    byte[] content = jsonl.toString().getBytes(StandardCharsets.UTF_8);
    FileObject file =
        recorder
            .run("files.upload", entry, call -> objects.uploadRedacted(name, content, vault, call))
            .body();
    Batch batch =
        pipeline
            .createDeferredBatch(
                entry,
                new CreateBatchRequest(
                    file.id(), kind.endpoint(), "24h", Map.of("warden", "deferred"), null))
            .body();
    List<DeferredCallEntity> rows = new ArrayList<>();
    for (Prepared p : admitted) {
      Reservation.Held held = p.call().reservation(Reservation.class).detach().orElseThrow();
      DeferredCallEntity row = row(p.id(), kind, p.call(), held);
      row.batchId = batch.id();
      row.inputFileId = file.id();
      row.status = DeferredStore.SUBMITTED;
      rows.add(row);
    }
    return rows;
  }

  /**
   * The rows could not be stored after the batch was created: Warden could never finish its calls,
   * so their reservations are released, each is reported failed, and the batch is cancelled.
   */
  private void abandon(
      DeferredKinds.Kind<?, ?> kind,
      List<Prepared> admitted,
      List<DeferredCallEntity> rows,
      RuntimeException cause) {
    LOG.log(
        Level.SEVERE,
        "WARDEN0677E: deferred calls could not be stored; their batch is cancelled",
        cause);
    String batchId = null;
    for (Prepared p : admitted) {
      for (DeferredCallEntity row : rows) {
        if (row.id.equals(p.id()) && row.batchId != null) {
          batchId = row.batchId;
          admission.resume(row.held(), true).settle(null, TokenUsage.NONE, Outcome.FAILED, false);
          try {
            failed(kind, p.call(), p.traffic(), cause);
          } catch (RuntimeException e) {
            cause.addSuppressed(e);
          }
        }
      }
    }
    if (batchId != null) {
      String id = batchId;
      try {
        pipeline.cancelBatch(EntryPoint.CDI, id);
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }

  /** A call refused at submission: reported (its audit record; its reservation released). */
  private DeferredCallEntity refuse(
      String id,
      DeferredKinds.Kind<?, ?> kind,
      CallContext call,
      Traffic<?, ?> traffic,
      RuntimeException failure) {
    try {
      failed(kind, call, traffic, failure);
    } catch (RuntimeException e) { // the audit write failed: the caller learns it
      failure.addSuppressed(e);
    }
    DeferredCallEntity row = row(id, kind, call, null);
    row.status = DeferredCall.Status.FAILED.name();
    row.errorCode = DeferredCallEntity.codeOf(failure);
    row.finishedAt = row.updatedAt;
    return row;
  }

  /** Reports a call that ended without reaching the upstream (its one record). */
  private void failed(
      DeferredKinds.Kind<?, ?> kind,
      CallContext call,
      Traffic<?, ?> traffic,
      RuntimeException failure) {
    recorder.finish(
        call, kind.kind().operation(), false, Outcome.FAILED, failure, traffic, TokenUsage.NONE);
  }

  private DeferredCallEntity row(
      String id, DeferredKinds.Kind<?, ?> kind, CallContext call, Reservation.Held held) {
    Instant now = DeferredCallEntity.micros(clock.instant());
    DeferredCallEntity row = new DeferredCallEntity();
    row.id = id;
    row.requestId = call.requestId();
    row.principal = call.caller().principal();
    row.tenant = call.caller().tenant();
    row.apiKeyId = call.caller().apiKeyId();
    row.entryPoint = call.entryPoint().name();
    row.endpoint = kind.endpoint();
    row.model = call.requestedModel();
    PromptRef prompt = call.prompt();
    if (prompt != null) {
      row.promptId = prompt.id();
      row.promptVersion = prompt.version();
      row.promptSha256 = prompt.sha256();
    }
    row.piiFound = PiiCounts.format(call.piiFound());
    Verdict verdict = call.guardVerdict();
    if (verdict != null) {
      row.guardScore = verdict.score();
      row.guardRules = String.join(",", verdict.matchedRules());
      row.guardAction = verdict.action() == null ? null : verdict.action().name();
    }
    row.inputTokens = held == null ? 0 : held.inputTokens();
    row.reserved = held == null ? BigDecimal.ZERO : held.reserved();
    row.holds = held == null ? "[]" : held.holdsJson();
    row.reservedAt = held == null ? now : DeferredCallEntity.micros(held.at());
    row.startedAt = DeferredCallEntity.micros(call.startedAt());
    row.updatedAt = now;
    return row;
  }
}
