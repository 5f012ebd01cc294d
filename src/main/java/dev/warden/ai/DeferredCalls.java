package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.call.EntryPoint;
import dev.warden.call.FallbackKind;
import dev.warden.call.GuardAction;
import dev.warden.call.Outcome;
import dev.warden.call.PiiCounts;
import dev.warden.call.PromptRef;
import dev.warden.call.Verdict;
import dev.warden.config.ConfigProducer;
import dev.warden.cost.Admission;
import dev.warden.cost.BackgroundCharge;
import dev.warden.cost.BackgroundCharges;
import dev.warden.cost.Reservation;
import dev.warden.guard.OutputValidator;
import dev.warden.openai.error.NotFoundException;
import dev.warden.openai.error.OpenAiErrors;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.ConversationVaults;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Rehydrator;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Deferred calls: chat completions that can wait up to a day go through the Batch API, at its price
 * (half the list price for most models).
 *
 * <pre>{@code
 * @Inject OpenAi openAi;  @Inject DeferredCalls deferred;
 * DeferredCall call = openAi.defer(request);            // admitted, redacted, in a batch
 * deferred.status(call.id(), caller);                   // SUBMITTED ... COMPLETED / FAILED / EXPIRED
 * Optional<ChatCompletion> answer = deferred.result(call.id(), caller);
 * }</pre>
 *
 * <b>Submission</b> ({@link #defer}): every call takes the pipeline's stages up to the upstream —
 * validation, admission with its worst case reserved <em>at the batch price</em>, redaction into
 * one vault per submission, screening. A refusal fails that call only, with its audit record. The
 * admitted calls become the lines of one JSONL file ({@code custom_id} = the deferred call's id),
 * uploaded (its vault kept for the file, so results read back restored) and submitted as one batch
 * against {@code /v1/chat/completions}. Each call is then a row of {@code cost_deferred_call}, with
 * its reservation; the request and the answer stay with the upstream, never in Warden's database.
 *
 * <p><b>Completion</b>: a managed scheduled executor (Jakarta Concurrency) polls the open batches
 * every {@value #POLL_INTERVAL} (default one minute) through the pipeline. When a batch has ended
 * (completed, failed, expired, cancelled), its output and error files are read, each result matched
 * to its call by {@code custom_id}, the answer checked by the output validation, and each call
 * finishes like any call: its reservation settled at the batch price on the actual usage (released
 * for failed, expired or cancelled calls), one ledger entry, and its one {@link CallFinished} (one
 * audit record, route reason {@code deferred: batch <id>}). All state is in the database, so
 * polling resumes after a restart, and a conditional update on the row makes exactly one server
 * finish each call.
 *
 * <p>The same poller looks, every {@value #BACKGROUND_POLL_INTERVAL} (default five minutes), at
 * background Responses calls whose reservation is still held ({@link BackgroundCharges}).
 *
 * <p>Polls, uploads and file reads are calls of their own through the pipeline (made as the owner
 * of the batch), each with its audit record.
 */
@ApplicationScoped
public class DeferredCalls {

  private static final Logger LOG = Logger.getLogger(DeferredCalls.class.getName());

  /** How often open batches are polled (ISO-8601; {@code PT0S} disables the poller). */
  public static final String POLL_INTERVAL = "warden.deferred.poll-interval";

  /** How often each background response with a held reservation is looked at. */
  public static final String BACKGROUND_POLL_INTERVAL = "warden.deferred.background-poll-interval";

  static final String ENDPOINT = "/v1/chat/completions";
  static final String OPERATION = "chat.completions";
  private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

  @Inject Pipeline pipeline;
  @Inject Callers callers;
  @Inject DeferredStore store;
  @Inject Admission admission;
  @Inject BackgroundCharges background;
  @Inject OutputValidator outputs;
  @Inject ConversationVaults vaults;
  @Inject Event<CallFinished> finished;
  @Inject Clock clock;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> task;
  private Duration backgroundEvery = Duration.ofMinutes(5);

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    Duration every = ConfigProducer.settings().duration(POLL_INTERVAL, Duration.ofMinutes(1));
    backgroundEvery =
        ConfigProducer.settings().duration(BACKGROUND_POLL_INTERVAL, Duration.ofMinutes(5));
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

  /**
   * Defers {@code request} for the current caller ({@link Callers#current()}).
   *
   * @throws dev.warden.openai.error.BadRequestException if it is malformed or asks to stream
   * @throws OpenAiException if admission, redaction or screening refuse it, or the upload or the
   *     batch creation fails (the call is then recorded as failed and its reservation released)
   */
  public DeferredCall defer(EntryPoint entry, ChatCompletionRequest request) {
    Submitted s = submit(entry, List.of(request)).get(0);
    if (s.failure() != null) {
      throw s.failure();
    }
    return s.call();
  }

  /**
   * Defers {@code requests} together, in one batch. Each is admitted on its own: a refused one is
   * returned {@link DeferredCall.Status#FAILED} with its error code, the others are submitted.
   *
   * @throws dev.warden.openai.error.BadRequestException if one is malformed (then none is sent)
   */
  public List<DeferredCall> deferAll(EntryPoint entry, List<ChatCompletionRequest> requests) {
    return submit(entry, requests).stream().map(Submitted::call).toList();
  }

  /** A submitted call, or one refused at submission and why. */
  private record Submitted(DeferredCall call, RuntimeException failure) {}

  /** An admitted call waiting for its batch. */
  private record Prepared(String id, CallContext call, ChatCompletionRequest safe) {}

  private List<Submitted> submit(EntryPoint entry, List<ChatCompletionRequest> requests) {
    if (requests == null || requests.isEmpty()) {
      throw new IllegalArgumentException("no request to defer");
    }
    requests.forEach(pipeline::validateDeferred);
    PlaceholderVault vault = new PlaceholderVault();
    Map<String, RuntimeException> refused = new HashMap<>();
    List<DeferredCallEntity> rows = new ArrayList<>();
    List<Prepared> admitted = new ArrayList<>();
    for (ChatCompletionRequest request : requests) {
      String id = "dfr_" + UUID.randomUUID().toString().replace("-", "");
      CallContext call = new CallContext(callers.current(), entry, request.model(), clock);
      call.routeNote("deferred: Batch API");
      call.batched(true);
      try {
        admitted.add(new Prepared(id, call, pipeline.prepareDeferred(request, vault, call)));
      } catch (RuntimeException e) {
        rows.add(refuse(id, call, e));
        refused.put(id, e);
      }
    }
    if (!admitted.isEmpty()) {
      try {
        rows.addAll(send(entry, admitted, vault));
      } catch (RuntimeException e) {
        for (Prepared p : admitted) {
          rows.add(refuse(p.id(), p.call(), e));
          refused.put(p.id(), e);
        }
      }
    }
    try {
      store.save(rows);
    } catch (RuntimeException e) {
      abandon(admitted, rows, e);
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
      EntryPoint entry, List<Prepared> admitted, PlaceholderVault vault) {
    StringBuilder jsonl = new StringBuilder();
    for (Prepared p : admitted) {
      jsonl
          .append(
              Json.createObjectBuilder()
                  .add("custom_id", p.id())
                  .add("method", "POST")
                  .add("url", ENDPOINT)
                  .add("body", json(SharedJsonb.JSONB.toJson(p.safe())))
                  .build())
          .append('\n');
    }
    FileObject file =
        pipeline
            .uploadRedacted(
                entry,
                "warden-deferred-" + admitted.get(0).id() + ".jsonl",
                jsonl.toString().getBytes(StandardCharsets.UTF_8),
                vault)
            .body();
    Batch batch =
        pipeline
            .createBatch(
                entry,
                new CreateBatchRequest(
                    file.id(), ENDPOINT, "24h", Map.of("warden", "deferred"), null))
            .body();
    List<DeferredCallEntity> rows = new ArrayList<>();
    for (Prepared p : admitted) {
      Reservation.Held held = p.call().reservation(Reservation.class).detach().orElseThrow();
      DeferredCallEntity row = row(p.id(), p.call(), held);
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
      List<Prepared> admitted, List<DeferredCallEntity> rows, RuntimeException cause) {
    LOG.log(
        Level.SEVERE,
        "WARDEN0677E: deferred calls could not be stored; their batch is cancelled",
        cause);
    String batchId = null;
    for (Prepared p : admitted) {
      for (DeferredCallEntity row : rows) {
        if (row.id.equals(p.id()) && row.batchId != null) {
          batchId = row.batchId;
          admission.resume(held(row), true).settle(null, TokenUsage.NONE, Outcome.FAILED, false);
          try {
            pipeline.failed(p.call(), OPERATION, cause);
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

  private static Reservation.Held held(DeferredCallEntity row) {
    return new Reservation.Held(
        row.model,
        (int) row.inputTokens,
        row.reserved,
        Reservation.Held.holdsFromJson(row.holds),
        row.reservedAt);
  }

  /** A call refused at submission: reported (its audit record; its reservation released). */
  private DeferredCallEntity refuse(String id, CallContext call, RuntimeException failure) {
    try {
      pipeline.failed(call, OPERATION, failure);
    } catch (RuntimeException e) { // the audit write failed: the caller learns it
      failure.addSuppressed(e);
    }
    DeferredCallEntity row = row(id, call, null);
    row.status = DeferredCall.Status.FAILED.name();
    row.errorCode = codeOf(failure);
    row.finishedAt = row.updatedAt;
    return row;
  }

  private DeferredCallEntity row(String id, CallContext call, Reservation.Held held) {
    Instant now = micros(clock.instant());
    DeferredCallEntity row = new DeferredCallEntity();
    row.id = id;
    row.requestId = call.requestId();
    row.principal = call.caller().principal();
    row.tenant = call.caller().tenant();
    row.apiKeyId = call.caller().apiKeyId();
    row.entryPoint = call.entryPoint().name();
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
    row.reserved = held == null ? java.math.BigDecimal.ZERO : held.reserved();
    row.holds = held == null ? "[]" : held.holdsJson();
    row.reservedAt = held == null ? now : micros(held.at());
    row.startedAt = micros(call.startedAt());
    row.updatedAt = now;
    return row;
  }

  /**
   * The deferred call {@code id} of {@code caller}.
   *
   * @throws NoSuchDeferredCallException if there is none, or it is another principal's or tenant's
   */
  public DeferredCall status(String id, Caller caller) {
    return owned(id, caller).view();
  }

  /**
   * The answer of a completed deferred call of {@code caller}, read from the batch's output file
   * (through the pipeline, restored from placeholders); empty while it waits for its batch.
   *
   * @throws NoSuchDeferredCallException if {@code caller} has no deferred call {@code id}
   * @throws IllegalStateException if it ended without an answer (see {@link
   *     DeferredCall#errorCode()})
   */
  public Optional<ChatCompletion> result(String id, Caller caller) {
    DeferredCallEntity row = owned(id, caller);
    DeferredCall.Status status = DeferredCall.Status.valueOf(row.status);
    if (!status.done()) {
      return Optional.empty();
    }
    if (status != DeferredCall.Status.COMPLETED || row.outputFileId == null) {
      throw new IllegalStateException(
          "deferred call "
              + id
              + " ended "
              + status
              + " without an answer ("
              + row.errorCode
              + ")");
    }
    byte[] content =
        Caller.runAs(caller, () -> pipeline.fileContent(EntryPoint.CDI, row.outputFileId).body());
    JsonObject line = lines(content).get(id);
    if (line == null) {
      throw new IllegalStateException("the output file of deferred call " + id + " lacks it");
    }
    return Optional.of(
        SharedJsonb.JSONB.fromJson(
            line.getJsonObject("response").getJsonObject("body").toString(), ChatCompletion.class));
  }

  private DeferredCallEntity owned(String id, Caller caller) {
    return store
        .find(id)
        .filter(r -> r.ownedBy(caller))
        .orElseThrow(() -> new NoSuchDeferredCallException(id));
  }

  // ---- polling ------------------------------------------------------------------------------

  private void tick() {
    try {
      poll();
      pollBackground(backgroundEvery);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0671W: polling deferred calls failed; it runs again later: {0}",
          e.getClass().getName());
    }
  }

  /**
   * Polls every open batch once and finishes the calls of those that have ended (the scheduler
   * calls it; so can tests). Returns how many calls were finished here.
   */
  public int poll() {
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
              results.putAll(lines(pipeline.upstreamFileContent(EntryPoint.CDI, file).body()));
            }
          }
          inputs.putAll(
              lines(pipeline.upstreamFileContent(EntryPoint.CDI, rows.get(0).inputFileId).body()));
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

  /** Finishes one call of an ended batch; {@code false} when another server did. */
  private boolean finish(DeferredCallEntity row, Batch batch, JsonObject result, JsonObject input) {
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
    ChatCompletionRequest sent = null;
    if (input != null && input.get("body") instanceof JsonObject) {
      sent =
          SharedJsonb.JSONB.fromJson(
              input.getJsonObject("body").toString(), ChatCompletionRequest.class);
      call.sent(sent, Pipeline.subjectOf(sent.safetyIdentifier(), sent.user()));
    }
    Ending ending = ending(row, call, batch, result, sent);
    Instant now = micros(clock.instant());
    if (!store.finish(
        row.id,
        ending.status(),
        batch.status(),
        ending.status() == DeferredCall.Status.COMPLETED ? batch.outputFileId() : null,
        call.answeredBy(),
        ending.failure() == null ? null : codeOf(ending.failure()),
        ending.usage(),
        now)) {
      return false;
    }
    // settled now, at the batch price, on the actual usage (nothing used: a pure release)
    call.admitted(admission.resume(held(row), true));
    CallFinished report =
        call.finished(
            OPERATION,
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
            call.upstreamAnswer());
    store.cost(row.id, report.cost());
    finished.fire(report);
    return true;
  }

  /** How a call of an ended batch ended. */
  private record Ending(DeferredCall.Status status, TokenUsage usage, RuntimeException failure) {}

  private Ending ending(
      DeferredCallEntity row,
      CallContext call,
      Batch batch,
      JsonObject result,
      ChatCompletionRequest sent) {
    JsonObject response =
        result != null && result.get("response") instanceof JsonObject
            ? result.getJsonObject("response")
            : null;
    if (response != null && response.getInt("status_code", 0) == 200) {
      ChatCompletion answer =
          SharedJsonb.JSONB.fromJson(
              response.getJsonObject("body").toString(), ChatCompletion.class);
      call.answered(
          row.model, answer.model(), response.getString("request_id", null), FallbackKind.NONE);
      call.received(answer);
      TokenUsage usage = TokenUsage.of(answer.usage());
      try {
        if (sent != null) {
          ChatCompletion restored =
              vaults
                  .forFile(row.inputFileId)
                  .map(v -> new Rehydrator(v).rehydrate(answer))
                  .orElse(answer);
          outputs.check(sent, restored);
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
  public int pollBackground(Duration every) {
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

  // ---- helpers ------------------------------------------------------------------------------

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

  private static JsonObject json(String text) {
    try (JsonReader r = Json.createReader(new StringReader(text))) {
      return r.readObject();
    }
  }

  private static String codeOf(RuntimeException e) {
    String code = null;
    if (e instanceof OpenAiException) {
      code = ((OpenAiException) e).code();
    } else if (e instanceof DeferredCallEndedException) {
      code = ((DeferredCallEndedException) e).code();
    }
    return code != null ? code : e.getClass().getSimpleName();
  }

  private static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }
}
