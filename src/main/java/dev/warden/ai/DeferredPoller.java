package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.EntryPoint;
import dev.warden.call.FallbackKind;
import dev.warden.call.GuardAction;
import dev.warden.call.Outcome;
import dev.warden.call.PiiCounts;
import dev.warden.call.PromptRef;
import dev.warden.call.Verdict;
import dev.warden.config.ConfigProducer;
import dev.warden.config.Jsonp;
import dev.warden.cost.Admission;
import dev.warden.cost.BackgroundCharge;
import dev.warden.cost.BackgroundCharges;
import dev.warden.cost.BatchCharge;
import dev.warden.cost.BatchCharges;
import dev.warden.openai.error.NotFoundException;
import dev.warden.openai.error.OpenAiErrors;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.Batch;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.ConversationVaults;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Rehydrator;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finishes deferred calls ({@link DeferredCalls}): a managed scheduled executor (Jakarta
 * Concurrency) polls the open batches through the pipeline; when a batch has ended, each result is
 * matched to its call by {@code custom_id}, restored and checked by the pipeline's own restore and
 * output validation stages, and the call finishes like any call: its reservation settled at the
 * batch price on the actual usage, its one {@link CallFinished}. A conditional update on the row
 * makes exactly one server finish each call. The same poller looks at background Responses calls
 * whose reservation is still held ({@link BackgroundCharges}).
 */
@ApplicationScoped
public class DeferredPoller {

  private static final Logger LOG = Logger.getLogger(DeferredCalls.class.getName());

  private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

  private final Pipeline pipeline;
  private final StoredObjects objects;
  private final DeferredKinds kinds;
  private final CallRecorder recorder;
  private final DeferredStore store;
  private final Admission admission;
  private final BackgroundCharges background;
  private final BatchCharges batches;
  private final ConversationVaults vaults;
  private final DeferredWaiters waiters;
  private final Clock clock;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> task;
  private Duration backgroundEvery = Duration.ofMinutes(5);

  @Inject
  DeferredPoller(
      Pipeline pipeline,
      StoredObjects objects,
      DeferredKinds kinds,
      CallRecorder recorder,
      DeferredStore store,
      Admission admission,
      BackgroundCharges background,
      BatchCharges batches,
      ConversationVaults vaults,
      DeferredWaiters waiters,
      Clock clock) {
    this.pipeline = pipeline;
    this.objects = objects;
    this.kinds = kinds;
    this.recorder = recorder;
    this.store = store;
    this.admission = admission;
    this.background = background;
    this.batches = batches;
    this.vaults = vaults;
    this.waiters = waiters;
    this.clock = clock;
  }

  /** For CDI's client proxy. */
  protected DeferredPoller() {
    this(null, null, null, null, null, null, null, null, null, null, null);
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    Duration every =
        ConfigProducer.settings().duration(DeferredCalls.POLL_INTERVAL, Duration.ofMinutes(1));
    backgroundEvery =
        ConfigProducer.settings()
            .duration(DeferredCalls.BACKGROUND_POLL_INTERVAL, Duration.ofMinutes(5));
    if (!every.isZero()) {
      task =
          scheduler.scheduleWithFixedDelay(
              this::tick, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
    LOG.log(
        Level.INFO,
        "WARDEN0670I: deferred calls polled every {0}, background responses every {1}",
        new Object[] {every.isZero() ? "never" : every, backgroundEvery});
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void tick() {
    try {
      poll();
      pollBackground(backgroundEvery);
      pollV1Batches(backgroundEvery);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0671W: polling deferred calls failed; it runs again later: {0}",
          e.getClass().getName());
    }
  }

  /**
   * Polls every open batch once, then completes the stages waiting for calls that have ended
   * ({@link DeferredWaiters}); returns how many calls were finished here.
   */
  int poll() {
    int done = 0;
    for (String batchId : store.openBatches(50)) {
      try {
        done += pollBatch(batchId);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "WARDEN0672W: polling batch {0} failed: {1}",
            new Object[] {batchId, e.getClass().getSimpleName()});
      }
    }
    waiters.wake();
    return done;
  }

  private int pollBatch(String batchId) {
    List<DeferredCallEntity> rows = store.submitted(batchId);
    if (rows.isEmpty()) {
      return 0;
    }
    Caller owner = rows.get(0).caller();
    Batch batch = Caller.runAs(owner, () -> pipeline.retrieveBatch(EntryPoint.CDI, batchId).body());
    if (!ENDED.contains(batch.status())) {
      return 0;
    }
    Map<String, JsonObject> results = new HashMap<>();
    Map<String, JsonObject> inputs = new HashMap<>();
    Caller.runAs(
        owner,
        () -> {
          for (String file : Arrays.asList(batch.outputFileId(), batch.errorFileId())) {
            if (file != null) {
              results.putAll(lines(upstreamFile(file)));
            }
          }
          inputs.putAll(lines(upstreamFile(rows.get(0).inputFileId)));
          return null;
        });
    int done = 0;
    for (DeferredCallEntity row : rows) {
      try {
        if (finish(row, batch, results.get(row.id), inputs.get(row.id))) {
          done++;
        }
      } catch (RuntimeException e) {
        LOG.log(
            Level.SEVERE,
            "WARDEN0673E: deferred call " + row.id + " of batch " + batchId + " failed to finish",
            e);
      }
    }
    LOG.log(
        Level.INFO,
        "WARDEN0674I: batch {0} ended {1}: {2} deferred calls finished",
        new Object[] {batchId, batch.status(), done});
    return done;
  }

  /** A file's content as the upstream holds it (placeholders, not values), read in a call. */
  private byte[] upstreamFile(String fileId) {
    return recorder
        .run("files.content", EntryPoint.CDI, call -> objects.upstreamFileContent(fileId, call))
        .body();
  }

  /** Finishes one call of an ended batch; {@code false} when another server did. */
  private boolean finish(DeferredCallEntity row, Batch batch, JsonObject result, JsonObject input) {
    DeferredKinds.Kind<?, ?> kind =
        kinds
            .byEndpoint(row.endpoint)
            .orElseThrow(
                () -> new IllegalStateException("unknown deferred endpoint " + row.endpoint));
    return finish(kind, row, batch, result, input);
  }

  private <Req, Ans> boolean finish(
      DeferredKinds.Kind<Req, Ans> kind,
      DeferredCallEntity row,
      Batch batch,
      JsonObject result,
      JsonObject input) {
    CallContext call =
        CallContext.resumed(
            row.caller(),
            row.requestId,
            EntryPoint.valueOf(row.entryPoint),
            row.model,
            row.startedAt,
            row.promptId == null
                ? null
                : new PromptRef(row.promptId, row.promptVersion, row.promptSha256));
    call.routeNote("deferred: batch " + batch.id());
    call.batched(true);
    call.redacted(PiiCounts.parse(row.piiFound));
    if (row.guardAction != null) {
      call.screened(
          new Verdict(
              row.guardScore == null ? 0 : row.guardScore,
              row.guardRules == null || row.guardRules.isEmpty()
                  ? List.of()
                  : List.of(row.guardRules.split(",")),
              GuardAction.valueOf(row.guardAction)));
    }
    Traffic<Req, Ans> traffic = new Traffic<>(kind.kind());
    if (input != null && input.get("body") instanceof JsonObject) {
      Req sent =
          SharedJsonb.JSONB.fromJson(input.getJsonObject("body").toString(), kind.requestType());
      traffic.sent(sent);
      // the sent request's user and safety_identifier are redacted: the subject is their value
      Rehydrator restore =
          new Rehydrator(vaults.forFile(row.inputFileId).orElseGet(PlaceholderVault::new));
      String subject = restore.text(kind.kind().subject(sent));
      call.subject(subject == null || subject.isBlank() ? null : subject);
    }
    Ending ending = ending(kind, row, call, traffic, batch, result);
    Instant now = DeferredCallEntity.micros(clock.instant());
    if (!store.finish(
        row.id,
        ending.status(),
        batch.status(),
        ending.status() == DeferredCall.Status.COMPLETED ? batch.outputFileId() : null,
        call.answeredBy(),
        ending.failure() == null ? null : DeferredCallEntity.codeOf(ending.failure()),
        ending.usage(),
        now)) {
      return false;
    }
    // settled now, at the batch price, on the actual usage (nothing used: a pure release)
    call.admitted(admission.resume(row.held(), true));
    CallFinished report =
        call.finished(
            kind.kind().operation(),
            false,
            call.modelSnapshot(),
            now,
            null,
            ending.usage(),
            ending.status() == DeferredCall.Status.COMPLETED
                ? Outcome.SUCCEEDED
                : ending.status() == DeferredCall.Status.CANCELLED
                    ? Outcome.CANCELLED
                    : Outcome.FAILED,
            ending.failure(),
            traffic.sent(),
            traffic.recorded());
    store.cost(row.id, report.cost());
    recorder.fire(report);
    return true;
  }

  /** How a call of an ended batch ended. */
  private record Ending(DeferredCall.Status status, TokenUsage usage, RuntimeException failure) {}

  private <Req, Ans> Ending ending(
      DeferredKinds.Kind<Req, Ans> kind,
      DeferredCallEntity row,
      CallContext call,
      Traffic<Req, Ans> traffic,
      Batch batch,
      JsonObject result) {
    JsonObject response =
        result != null && result.get("response") instanceof JsonObject
            ? result.getJsonObject("response")
            : null;
    if (response != null && response.getInt("status_code", 0) == 200) {
      JsonObject body = response.getJsonObject("body");
      Ans answer = SharedJsonb.JSONB.fromJson(body.toString(), kind.answerType());
      call.upstream()
          .answered(
              row.model,
              body.getString("model", row.model),
              response.getString("request_id", null),
              FallbackKind.NONE);
      traffic.received(answer);
      TokenUsage usage = traffic.usage();
      try {
        if (traffic.sent() != null) {
          PlaceholderVault vault = vaults.forFile(row.inputFileId).orElseGet(PlaceholderVault::new);
          // a stored response keeps its vault and owner, as a direct call's does
          kind.kind().answered(traffic.sent(), traffic.sent(), answer, vault, call);
          kind.kind().restoreAndCheck(traffic.sent(), answer, vault);
        }
      } catch (RuntimeException e) { // paid for, but withheld like any call's invalid output
        return new Ending(DeferredCall.Status.FAILED, usage, e);
      }
      return new Ending(DeferredCall.Status.COMPLETED, usage, null);
    }
    if (response != null) {
      int status = response.getInt("status_code", 500);
      JsonValue body = response.get("body");
      return new Ending(
          DeferredCall.Status.FAILED,
          TokenUsage.NONE,
          OpenAiErrors.fromResponse(
              status, body == null ? "" : body.toString(), h -> null, clock.instant()));
    }
    if (result != null && result.get("error") instanceof JsonObject) {
      JsonObject error = result.getJsonObject("error");
      String code = error.getString("code", "batch_error");
      return new Ending(
          "batch_expired".equals(code) ? DeferredCall.Status.EXPIRED : DeferredCall.Status.FAILED,
          TokenUsage.NONE,
          new DeferredCallEndedException(code, error.getString("message", code)));
    }
    return switch (batch.status()) {
      case "expired" ->
          new Ending(
              DeferredCall.Status.EXPIRED,
              TokenUsage.NONE,
              new DeferredCallEndedException(
                  "batch_expired", "the batch expired before this call ran"));
      case "cancelled" ->
          new Ending(
              DeferredCall.Status.CANCELLED,
              TokenUsage.NONE,
              new DeferredCallEndedException(
                  "batch_cancelled", "the batch was cancelled before this call ran"));
      case "failed" ->
          new Ending(
              DeferredCall.Status.FAILED,
              TokenUsage.NONE,
              new DeferredCallEndedException("batch_failed", "the batch failed validation"));
      default ->
          new Ending(
              DeferredCall.Status.FAILED,
              TokenUsage.NONE,
              new DeferredCallEndedException(
                  "no_result", "the batch holds no result for this call"));
    };
  }

  /**
   * Looks at the background responses whose reservation is held and that were not looked at for
   * {@code every}: a retrieve through the pipeline (as their caller) settles those that ended, and
   * a response the upstream no longer has is released. Returns how many were looked at.
   */
  int pollBackground(Duration every) {
    List<BackgroundCharge> due = background.due(every, 100);
    for (BackgroundCharge charge : due) {
      try {
        Caller.runAs(
            charge.caller(), () -> pipeline.retrieveResponse(EntryPoint.CDI, charge.responseId()));
      } catch (NotFoundException e) {
        // released by the retrieve itself
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "WARDEN0675W: background response of request {0} could not be polled: {1}",
            new Object[] {charge.requestId(), e.getClass().getSimpleName()});
      }
    }
    return due.size();
  }

  /**
   * Looks at the batches created through {@code /v1} whose reservation is held and that were not
   * looked at for {@code every}: a retrieve through the pipeline (as their creator) settles those
   * that ended, and a batch the upstream no longer has is released. Returns how many were looked
   * at.
   */
  int pollV1Batches(Duration every) {
    List<BatchCharge> due = batches.due(every, 100);
    for (BatchCharge charge : due) {
      try {
        Caller.runAs(
            charge.caller(), () -> pipeline.retrieveBatch(EntryPoint.CDI, charge.batchId()));
      } catch (NotFoundException e) {
        // released by the retrieve itself
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "WARDEN0678W: the batch of request {0} could not be polled: {1}",
            new Object[] {charge.requestId(), e.getClass().getSimpleName()});
      }
    }
    return due.size();
  }

  /** The lines of a JSONL file by {@code custom_id}; unreadable lines are skipped. */
  static Map<String, JsonObject> lines(byte[] jsonl) {
    Map<String, JsonObject> byId = new HashMap<>();
    for (String line : new String(jsonl, StandardCharsets.UTF_8).split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonObject o = json(line);
        String id = o.getString("custom_id", null);
        if (id != null) {
          byId.put(id, o);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "WARDEN0676W: a batch file line is not JSON; it is skipped");
      }
    }
    return byId;
  }

  static JsonObject json(String text) {
    try (JsonReader r = Jsonp.createReader(new StringReader(text))) {
      return r.readObject();
    }
  }
}
