package dev.warden.ai;

import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.EntryPoint;
import dev.warden.cost.BackgroundCharges;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
 * <b>Submission</b> ({@link #defer}, {@link DeferredSubmitter}): every call takes the pipeline's
 * stages up to the upstream — validation, admission with its worst case reserved <em>at the batch
 * price</em>, redaction into one vault per submission, screening. A refusal fails that call only,
 * with its audit record. The admitted calls become the lines of one JSONL file ({@code custom_id} =
 * the deferred call's id), uploaded (its vault kept for the file, so results read back restored)
 * and submitted as one batch against {@code /v1/chat/completions}. Each call is then a row of
 * {@code cost_deferred_call}, with its reservation; the request and the answer stay with the
 * upstream, never in Warden's database.
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

  @Inject
  DeferredCalls(
      DeferredSubmitter submitter, DeferredPoller poller, DeferredStore store, Pipeline pipeline) {
    this.submitter = submitter;
    this.poller = poller;
    this.store = store;
    this.pipeline = pipeline;
  }

  /** For CDI's client proxy. */
  protected DeferredCalls() {
    this(null, null, null, null);
  }

  /**
   * Defers {@code request} for the current caller ({@link dev.warden.call.Callers#current()}).
   *
   * @throws dev.warden.openai.error.BadRequestException if it is malformed or asks to stream
   * @throws OpenAiException if admission, redaction or screening refuse it, or the upload or the
   *     batch creation fails (the call is then recorded as failed and its reservation released)
   */
  public DeferredCall defer(EntryPoint entry, ChatCompletionRequest request) {
    DeferredSubmitter.Submitted s = submitter.submit(entry, List.of(request)).get(0);
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
    return submitter.submit(entry, requests).stream()
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
    JsonObject line = DeferredPoller.lines(content).get(id);
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
