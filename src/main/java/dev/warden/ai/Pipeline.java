package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.CallFinished;
import dev.warden.call.CallSpans;
import dev.warden.call.EntryPoint;
import dev.warden.call.Outcome;
import dev.warden.cost.Admission;
import dev.warden.guard.OutputValidator;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.BatchList;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.model.FileList;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.model.ModelList;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.PlaceholderVault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The one request path. Every entry point — injected beans ({@link OpenAi}), {@code /v1} and {@code
 * /api} — calls this class, and every model call, plain or streamed, of every kind ({@link
 * CallKind}: chat completions, responses, embeddings) takes the same stages in order:
 *
 * <ol>
 *   <li>validate ({@link Validation}): refuse what the upstream would refuse anyway, before any
 *       upstream call;
 *   <li>admit ({@link Admission}): token count against the context window, rate limits, budget
 *       reservation; the reservation is settled when the call finishes, whatever its outcome;
 *   <li>redact and screen ({@link Protection}): PII becomes placeholders recorded in a {@link
 *       PlaceholderVault} of this call only (fails closed); user content and tool results are
 *       screened for prompt injection;
 *   <li>call: {@link ResilientOpenAi} (timeouts, retries, circuit breaker, fallback chain) with the
 *       redacted request;
 *   <li>restore: placeholders in the answer (whole, or streamed event by event through {@link
 *       RehydratingAccumulator}) become the original values again, for the caller only;
 *   <li>validate the output ({@link OutputValidator}): a failure withholds the answer ({@code
 *       output_validation_failed}), for streams in place of the final event;
 *   <li>record ({@link CallRecorder}): exactly one {@link CallFinished} per call, refusals included
 *       (audit, settlement, metrics observe it); the answer is the body plus what happened ({@link
 *       Answer}).
 * </ol>
 *
 * Deferred calls ({@link DeferredCalls}) take the same stages, split at the Batch API. The other
 * operations (retrieve, list, delete, files, batches: {@link StoredObjects}) are calls too, with
 * their record.
 */
@ApplicationScoped
public class Pipeline {

  private final Validation validation;
  private final Protection protection;
  private final CallRecorder recorder;
  private final ChatKind chat;
  private final ResponsesKind responses;
  private final EmbeddingsKind embeddings;
  private final StoredObjects objects;

  @Inject
  Pipeline(
      Validation validation,
      Protection protection,
      CallRecorder recorder,
      ChatKind chat,
      ResponsesKind responses,
      EmbeddingsKind embeddings,
      StoredObjects objects) {
    this.validation = validation;
    this.protection = protection;
    this.recorder = recorder;
    this.chat = chat;
    this.responses = responses;
    this.embeddings = embeddings;
    this.objects = objects;
  }

  /** For CDI's client proxy. */
  protected Pipeline() {
    this(null, null, null, null, null, null, null);
  }

  public Answer<ChatCompletion> chat(EntryPoint entry, ChatCompletionRequest request) {
    validation.chat(request);
    Validation.notStreaming(request.stream());
    return exchange(chat, entry, request.model(), request, Function.identity());
  }

  /**
   * A structured chat completion bound to {@code type}: the request's {@code json_schema} response
   * format is the contract; the first choice's output is checked against it, bound with JSON-B and
   * checked against the type's Bean Validation constraints, all inside the call (a failure is the
   * call's outcome, {@code output_validation_failed}).
   */
  public <T> Answer<T> chat(EntryPoint entry, ChatCompletionRequest request, Class<T> type) {
    validation.chat(request);
    Validation.notStreaming(request.stream());
    validation.typed(request);
    return exchange(chat, entry, request.model(), request, a -> chat.bind(request, a, type));
  }

  public Answer<ModelResponse> createResponse(EntryPoint entry, CreateResponseRequest request) {
    validation.response(request);
    Validation.notStreaming(request.stream());
    return exchange(responses, entry, request.model(), request, Function.identity());
  }

  public Answer<EmbeddingResponse> embeddings(EntryPoint entry, EmbeddingRequest request) {
    validation.embeddings(request);
    return exchange(embeddings, entry, request.model(), request, Function.identity());
  }

  /**
   * Opens a chat completion stream: validation, then the stages up to the upstream stream with its
   * first event (with retries and fallback, since the caller has seen nothing yet). Relay the
   * result with {@link StreamingCall#relay}.
   */
  public StreamingCall openChatStream(EntryPoint entry, ChatCompletionRequest request) {
    validation.chat(request);
    return open(chat, entry, request.model(), request);
  }

  /** Opens a Responses API stream; see {@link #openChatStream}. */
  public StreamingCall openResponseStream(EntryPoint entry, CreateResponseRequest request) {
    validation.response(request);
    return open(responses, entry, request.model(), request);
  }

  public Answer<ModelResponse> retrieveResponse(EntryPoint entry, String id) {
    Validation.require(id, "response_id");
    return recorder.run("responses.retrieve", entry, call -> objects.retrieveResponse(id, call));
  }

  public Answer<DeletedObject> deleteResponse(EntryPoint entry, String id) {
    Validation.require(id, "response_id");
    return recorder.run("responses.delete", entry, call -> objects.deleteResponse(id, call));
  }

  public Answer<ModelResponse> cancelResponse(EntryPoint entry, String id) {
    Validation.require(id, "response_id");
    return recorder.run("responses.cancel", entry, call -> objects.cancelResponse(id, call));
  }

  public Answer<ResponseItemList> listInputItems(
      EntryPoint entry, String id, String after, Integer limit, String order) {
    Validation.require(id, "response_id");
    Validation.page(limit, order);
    return recorder.run(
        "responses.input_items",
        entry,
        call -> objects.listInputItems(id, after, limit, order, call));
  }

  public Answer<ModelList> listModels(EntryPoint entry) {
    return recorder.run("models.list", entry, objects::listModels);
  }

  public Answer<FileObject> uploadFile(
      EntryPoint entry, String filename, byte[] content, String purpose) {
    boolean jsonl = validation.upload(filename, content, purpose);
    return recorder.run(
        "files.upload", entry, call -> objects.uploadFile(filename, content, purpose, jsonl, call));
  }

  /**
   * Uploads a batch input file (purpose {@code batch}) for a caller who may not be trusted with the
   * upstream as is ({@code /v1}): every line is checked and its body redacted ({@link BatchInput},
   * {@code shapes} adds the JSON shape checks of the HTTP layer); a bad line refuses the file,
   * naming the line.
   */
  public Answer<FileObject> uploadBatchInput(
      EntryPoint entry, String filename, byte[] content, BatchInput.ShapeCheck shapes) {
    validation.batchUpload(filename, content);
    return recorder.run(
        "files.upload", entry, call -> objects.uploadBatchInput(filename, content, shapes, call));
  }

  public Answer<FileList> listFiles(
      EntryPoint entry, String purpose, Integer limit, String order, String after) {
    Validation.fileList(limit, order);
    return recorder.run(
        "files.list", entry, call -> objects.listFiles(purpose, limit, order, after, call));
  }

  public Answer<FileObject> retrieveFile(EntryPoint entry, String fileId) {
    Validation.require(fileId, "file_id");
    return recorder.run("files.retrieve", entry, call -> objects.retrieveFile(fileId, call));
  }

  public Answer<DeletedObject> deleteFile(EntryPoint entry, String fileId) {
    Validation.require(fileId, "file_id");
    return recorder.run("files.delete", entry, call -> objects.deleteFile(fileId, call));
  }

  public Answer<byte[]> fileContent(EntryPoint entry, String fileId) {
    Validation.require(fileId, "file_id");
    return recorder.run("files.content", entry, call -> objects.fileContent(fileId, call));
  }

  public Answer<Batch> createBatch(EntryPoint entry, CreateBatchRequest request) {
    Validation.batch(request);
    return recorder.run("batches.create", entry, call -> objects.createBatch(request, call));
  }

  /** The batch of deferred calls, admitted call by call already ({@link DeferredSubmitter}). */
  Answer<Batch> createDeferredBatch(EntryPoint entry, CreateBatchRequest request) {
    Validation.batch(request);
    return recorder.run(
        "batches.create", entry, call -> objects.createDeferredBatch(request, call));
  }

  public Answer<Batch> retrieveBatch(EntryPoint entry, String id) {
    Validation.require(id, "batch_id");
    return recorder.run("batches.retrieve", entry, call -> objects.retrieveBatch(id, call));
  }

  public Answer<Batch> cancelBatch(EntryPoint entry, String id) {
    Validation.require(id, "batch_id");
    return recorder.run("batches.cancel", entry, call -> objects.cancelBatch(id, call));
  }

  public Answer<BatchList> listBatches(EntryPoint entry, String after, Integer limit) {
    Validation.page(limit, null);
    return recorder.run("batches.list", entry, call -> objects.listBatches(after, limit, call));
  }

  // ---- the sequence ---------------------------------------------------------------------------

  /** A model call: the stages from admission to output validation, then {@code result}. */
  private <Req, Ans, T> Answer<T> exchange(
      CallKind<Req, Ans> kind,
      EntryPoint entry,
      String model,
      Req request,
      Function<Ans, T> result) {
    Traffic<Req, Ans> traffic = new Traffic<>(kind);
    return recorder.run(
        kind.operation(),
        entry,
        model,
        request,
        traffic,
        call -> {
          // the outbox row is written once admission counted the input, while the call is
          // admitted and redacted; the upstream request waits for it
          CompletableFuture<Void> pending = recorder.pending(call, kind.operation(), false);
          PlaceholderVault vault;
          Req safe;
          try {
            vault = kind.vault(request, call);
            Req admitted = kind.admit(request, call);
            call.inputCounted(null); // admitted without counting: the row need not wait
            safe = protection.protect(kind, admitted, vault, traffic, call);
            CallRecorder.await(pending);
          } catch (RuntimeException e) {
            call.inputCounted(null);
            // the record must commit after the row, so that it removes it
            pending.exceptionally(failure -> null).join();
            throw e;
          }
          Ans answer = kind.call(safe, call);
          traffic.received(answer);
          kind.answered(request, safe, answer, vault, call);
          return result.apply(kind.restoreAndCheck(request, answer, vault));
        });
  }

  /** The stages up to the stream's first event; the rest happen as it is relayed. */
  private <Req, Ans> StreamingCall open(
      CallKind.Streamed<Req, Ans> kind, EntryPoint entry, String model, Req request) {
    CallContext call = recorder.start(entry, model);
    Traffic<Req, Ans> traffic = new Traffic<>(kind);
    String operation = kind.operation();
    CompletableFuture<Void> pending = null;
    OpenStream stream = null;
    // the span stays open after the scope: it ends with the stream's CallFinished
    CallSpans.Current traced = recorder.trace(call, operation, request);
    try {
      CallRecorder.inScope(call);
      // the outbox row is written while the call is admitted and redacted; the upstream stream
      // opens once it is committed, so a stream the upstream received always has a row or a record
      pending = recorder.pending(call, operation, true);
      PlaceholderVault vault = kind.vault(request, call);
      Req admitted = kind.admit(kind.streaming(request), call);
      call.inputCounted(null); // admitted without counting: the row need not wait
      Req safe = protection.protect(kind, admitted, vault, traffic, call);
      CallRecorder.await(pending);
      stream = kind.open(request, safe, vault, call);
      return new StreamingCall(
          call,
          stream,
          recorder.clock(),
          recorder.ended(call, operation, traffic, up -> kind.streamed(request, up, vault, call)),
          result -> kind.check(request, result));
    } catch (RuntimeException e) {
      if (stream != null) {
        stream.stream().close();
      }
      call.inputCounted(null);
      if (pending != null) {
        // the record must commit after the row, so that it removes it
        pending.exceptionally(failure -> null).join();
      }
      RuntimeException failure = CallerGuardedFailure.unwrap(e);
      recorder.finish(call, operation, true, Outcome.FAILED, failure, traffic, TokenUsage.NONE);
      throw failure;
    } finally {
      traced.close();
    }
  }
}
