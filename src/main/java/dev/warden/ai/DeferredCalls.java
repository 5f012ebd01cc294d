package dev.warden.ai;

import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.EntryPoint;
import dev.warden.cost.BackgroundCharges;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Deferred calls: chat completions, Responses and embeddings calls that can wait up to a day go
 * through the Batch API, at its price (half the list price for most models).
 *
 * <pre>{@code
 * @Inject OpenAi openAi;  @Inject DeferredCalls deferred;
 * DeferredCall call = openAi.defer(request);            // admitted, redacted, in a batch
 * deferred.status(call.id(), caller);                   // SUBMITTED ... COMPLETED / FAILED / EXPIRED
 * Optional<ChatCompletion> answer = deferred.result(call.id(), caller);
 * }</pre>
 *
 * <b>Submission</b> ({@link #defer}, {@link DeferredSubmitter}): every call takes the pipeline's
 * stages up to the upstream — validation, admission with its worst case reserved <em>at the batch
 * price</em>, redaction into one vault per submission, screening. A refusal fails that call only,
 * with its audit record. The admitted calls become the lines of one JSONL file ({@code custom_id} =
 * the deferred call's id), uploaded (its vault kept for the file, so results read back restored)
 * and submitted as one batch against the kind's endpoint ({@code /v1/chat/completions}, {@code
 * /v1/responses} or {@code /v1/embeddings}). Each call is then a row of {@code cost_deferred_call},
 * with its reservation; the request and the answer stay with the upstream, never in Warden's
 * database.
 *
 * <p><b>Completion</b> ({@link DeferredPoller}): a managed scheduled executor (Jakarta Concurrency)
 * polls the open batches every {@value #POLL_INTERVAL} (default one minute) through the pipeline.
 * When a batch has ended (completed, failed, expired, cancelled), its output and error files are
 * read, each result matched to its call by {@code custom_id}, the answer restored and checked by
 * the pipeline's own stages, and each call finishes like any call: its reservation settled at the
 * batch price on the actual usage (released for failed, expired or cancelled calls), one ledger
 * entry, and its one {@link CallFinished} (one audit record, route reason {@code deferred: batch
 * <id>}). All state is in the database, so polling resumes after a restart, and a conditional
 * update on the row makes exactly one server finish each call.
 *
 * <p>The same poller looks, every {@value #BACKGROUND_POLL_INTERVAL} (default five minutes), at
 * background Responses calls whose reservation is still held ({@link BackgroundCharges}).
 *
 * <p>Polls, uploads and file reads are calls of their own through the pipeline (made as the owner
 * of the batch), each with its audit record.
 */
@ApplicationScoped
public class DeferredCalls {

  /** How often open batches are polled (ISO-8601; {@code PT0S} disables the poller). */
  public static final String POLL_INTERVAL = "warden.deferred.poll-interval";

  /** How often each background response with a held reservation is looked at. */
  public static final String BACKGROUND_POLL_INTERVAL = "warden.deferred.background-poll-interval";

  private final DeferredSubmitter submitter;
  private final DeferredPoller poller;
  private final DeferredStore store;
  private final Pipeline pipeline;
  private final DeferredKinds kinds;
  private final DeferredWaiters waiters;

  @Inject
  DeferredCalls(
      DeferredSubmitter submitter,
      DeferredPoller poller,
      DeferredStore store,
      Pipeline pipeline,
      DeferredKinds kinds,
      DeferredWaiters waiters) {
    this.submitter = submitter;
    this.poller = poller;
    this.store = store;
    this.pipeline = pipeline;
    this.kinds = kinds;
    this.waiters = waiters;
  }

  /** For CDI's client proxy. */
  protected DeferredCalls() {
    this(null, null, null, null, null, null);
  }

  /**
   * Defers {@code request} for the current caller ({@link dev.warden.call.Callers#current()}).
   *
   * @throws dev.warden.openai.error.BadRequestException if it is malformed or asks to stream
   * @throws OpenAiException if admission, redaction or screening refuse it, or the upload or the
   *     batch creation fails (the call is then recorded as failed and its reservation released)
   */
  public DeferredCall defer(EntryPoint entry, ChatCompletionRequest request) {
    return one(entry, kinds.chat(), request);
  }

  /**
   * Defers a Responses call ({@code /v1/responses}) for the current caller, as {@link
   * #defer(EntryPoint, ChatCompletionRequest)}. It cannot stream, run in the background or continue
   * a stored response or conversation (400).
   */
  public DeferredCall defer(EntryPoint entry, CreateResponseRequest request) {
    return one(entry, kinds.responses(), request);
  }

  /**
   * Defers an embeddings call ({@code /v1/embeddings}) for the current caller, as {@link
   * #defer(EntryPoint, ChatCompletionRequest)}.
   */
  public DeferredCall defer(EntryPoint entry, EmbeddingRequest request) {
    return one(entry, kinds.embeddings(), request);
  }

  private <Req> DeferredCall one(EntryPoint entry, DeferredKinds.Kind<Req, ?> kind, Req request) {
    DeferredSubmitter.Submitted s = submitter.submit(entry, kind, List.of(request)).get(0);
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
    return submitter.submit(entry, kinds.chat(), requests).stream()
        .map(DeferredSubmitter.Submitted::call)
        .toList();
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
    return result(id, caller, ChatCompletion.class);
  }

  /**
   * The answer of a completed deferred call of {@code caller} as {@code type}: {@link
   * ChatCompletion}, {@link dev.warden.openai.model.ModelResponse} or {@link
   * dev.warden.openai.model.EmbeddingResponse}, as the call's kind; empty while it waits.
   *
   * @throws NoSuchDeferredCallException if {@code caller} has no deferred call {@code id}
   * @throws IllegalArgumentException if the call is of another kind
   * @throws IllegalStateException if it ended without an answer
   */
  public <T> Optional<T> result(String id, Caller caller, Class<T> type) {
    DeferredCallEntity row = owned(id, caller);
    Class<?> answers = kindOf(row).answerType();
    if (!type.isAssignableFrom(answers)) {
      throw new IllegalArgumentException(
          "deferred call "
              + id
              + " answers "
              + answers.getSimpleName()
              + ", not "
              + type.getName());
    }
    return body(row, caller).map(b -> SharedJsonb.JSONB.fromJson(b.toString(), type));
  }

  /**
   * The answer of a completed deferred call of {@code caller} as the upstream's JSON object,
   * placeholders restored; empty while it waits.
   *
   * @throws NoSuchDeferredCallException if {@code caller} has no deferred call {@code id}
   * @throws IllegalStateException if it ended without an answer
   */
  public Optional<JsonObject> resultJson(String id, Caller caller) {
    return body(owned(id, caller), caller);
  }

  private DeferredKinds.Kind<?, ?> kindOf(DeferredCallEntity row) {
    return kinds
        .byEndpoint(row.endpoint)
        .orElseThrow(() -> new IllegalStateException("unknown deferred endpoint " + row.endpoint));
  }

  private Optional<JsonObject> body(DeferredCallEntity row, Caller caller) {
    String id = row.id;
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
    JsonObject line = DeferredPoller.lines(content).get(id);
    if (line == null) {
      throw new IllegalStateException("the output file of deferred call " + id + " lacks it");
    }
    return Optional.of(line.getJsonObject("response").getJsonObject("body"));
  }

  /**
   * A stage completed with the final state of the deferred call {@code id} of {@code caller} once
   * it has ended (completed, failed, expired or cancelled), checked after every poll. It lives in
   * this server's memory: a restart loses it, not the call.
   *
   * @throws NoSuchDeferredCallException if {@code caller} has no deferred call {@code id}
   */
  public CompletionStage<DeferredCall> whenDone(String id, Caller caller) {
    owned(id, caller);
    return waiters.whenDone(id);
  }

  private DeferredCallEntity owned(String id, Caller caller) {
    return store
        .find(id)
        .filter(r -> r.ownedBy(caller))
        .orElseThrow(() -> new NoSuchDeferredCallException(id));
  }

  /**
   * Polls every open batch once and finishes the calls of those that have ended (the scheduler
   * calls it; so can tests). Returns how many calls were finished here.
   */
  public int poll() {
    return poller.poll();
  }

  /**
   * Looks at the background responses whose reservation is held and that were not looked at for
   * {@code every}; returns how many were looked at (see {@link DeferredPoller}).
   */
  public int pollBackground(Duration every) {
    return poller.pollBackground(every);
  }
}
