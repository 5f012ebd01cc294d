package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.CallFinished;
import dev.warden.call.CallSpans;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.call.EntryPoint;
import dev.warden.call.Outcome;
import dev.warden.call.Ownership;
import dev.warden.call.StreamOutbox;
import dev.warden.call.Verdict;
import dev.warden.call.refusal.ModelNotAllowedRefusal;
import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.PromptInjectionRefusal;
import dev.warden.cost.Admission;
import dev.warden.cost.BackgroundCharges;
import dev.warden.cost.KnownModels;
import dev.warden.cost.Reservation;
import dev.warden.guard.InjectionScreener;
import dev.warden.guard.OutputValidator;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NotFoundException;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.BatchList;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.model.ModelList;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.openai.model.StreamOptions;
import dev.warden.openai.stream.ChatStreamAccumulator;
import dev.warden.openai.stream.ResponsesStreamAccumulator;
import dev.warden.openai.stream.StreamResult;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.ConversationVaults;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Redacted;
import dev.warden.pii.Rehydrator;
import dev.warden.pii.RequestRedactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one request path. Every entry point — injected beans ({@link OpenAi}), {@code /v1} and {@code
 * /api} — calls this class, and it calls the stages in order:
 *
 * <ol>
 *   <li>validate: refuse what the upstream would refuse anyway, before any upstream call;
 *   <li>admit (chat completions, responses and embeddings, {@link Admission}): token count against
 *       the context window, rate limits, budget reservation; the reservation is settled when the
 *       call finishes ({@link CallContext#finished}), whatever its outcome;
 *   <li>redact (chat completions and responses): PII in the request becomes placeholders recorded
 *       in a {@link PlaceholderVault} of this call only; a blocked type refuses the request ({@link
 *       PiiBlockedRefusal}, {@code pii_blocked}), a failure of redaction too ({@link
 *       dev.warden.call.refusal.RedactionFailedRefusal}): redaction fails closed;
 *   <li>screen: the user's content and tool results for prompt injection; a {@code BLOCK} verdict
 *       refuses the request ({@code prompt_injection_detected}), a {@code FLAG} is recorded;
 *   <li>call: {@link ResilientOpenAi} (timeouts, retries, circuit breaker, fallback chain) with the
 *       redacted request;
 *   <li>rehydrate: placeholders in the answer (whole, or streamed event by event through {@link
 *       RehydratingAccumulator}) become the original values again, for the caller only;
 *   <li>validate the output ({@link OutputValidator}): a structured output against its schema,
 *       every proposed tool call against the tool's schema and the application's {@link
 *       dev.warden.guard.ToolCallValidator}s; a failure withholds the answer ({@code
 *       output_validation_failed}), for streams in place of the final event;
 *   <li>answer: the body plus what happened ({@link Answer}).
 * </ol>
 *
 * Every call fires exactly one {@link CallFinished}, refusals included. Identity, admission
 * (budgets, rate limits), prompts, validation of the output, settlement and audit are stages that
 * plug in here, so no entry point can skip them.
 */
@ApplicationScoped
public class Pipeline {

  @Inject ResilientOpenAi client;
  @Inject Callers callers;
  @Inject RequestRedactor redactor;
  @Inject ConversationVaults vaults;
  @Inject InjectionScreener screener;
  @Inject OutputValidator outputs;
  @Inject Clock clock;
  @Inject Event<CallFinished> finished;
  @Inject StreamOutbox outbox;
  @Inject Admission admission;
  @Inject Ownership ownership;

  private static final String RESPONSE = "response";
  private static final String FILE = "file";
  private static final String BATCH = "batch";
  @Inject BackgroundCharges background;
  @Inject KnownModels models;
  @Inject Instance<CallSpans> spans;
  private volatile CallSpans tracing;

  public Answer<ChatCompletion> chat(EntryPoint entry, ChatCompletionRequest request) {
    validate(request);
    refuseStreaming(request.stream());
    return run(
        "chat.completions", entry, request.model(), request, call -> chatCall(request, call));
  }

  /**
   * A structured chat completion bound to {@code type}: the request's {@code json_schema} response
   * format is the contract; the first choice's output is checked against it, bound with JSON-B and
   * checked against the type's Bean Validation constraints, all inside the call (a failure is the
   * call's outcome, {@code output_validation_failed}).
   */
  public <T> Answer<T> chat(EntryPoint entry, ChatCompletionRequest request, Class<T> type) {
    validate(request);
    refuseStreaming(request.stream());
    require(
        request.responseFormat() != null
            && "json_schema".equals(request.responseFormat().type())
            && request.responseFormat().jsonSchema() != null
            && request.responseFormat().jsonSchema().schema() != null,
        "a typed result needs a response_format of type json_schema with a schema",
        "response_format");
    return run(
        "chat.completions",
        entry,
        request.model(),
        request,
        call ->
            outputs.bind(
                chatCall(request, call).firstText(),
                request.responseFormat().jsonSchema().schema(),
                type));
  }

  private ChatCompletion chatCall(ChatCompletionRequest request, CallContext call) {
    PlaceholderVault vault = new PlaceholderVault();
    ChatCompletionRequest safe = protect(admission.admit(request, call), vault, call);
    call.sent(safe, subjectOf(request.safetyIdentifier(), request.user()));
    ChatCompletion answer = client.chat(safe, call);
    call.received(answer);
    ChatCompletion restored = vault.isEmpty() ? answer : new Rehydrator(vault).rehydrate(answer);
    outputs.check(request, restored);
    return restored;
  }

  public Answer<ModelResponse> createResponse(EntryPoint entry, CreateResponseRequest request) {
    validate(request);
    refuseStreaming(request.stream());
    return run(
        "responses.create",
        entry,
        request.model(),
        request,
        call -> {
          mine(call, RESPONSE, request.previousResponseId(), "previous_response_id");
          PlaceholderVault vault = vaultFor(request);
          CreateResponseRequest safe = protect(admission.admit(request, call), vault, call);
          call.sent(safe, subjectOf(request.safetyIdentifier(), request.user()));
          ModelResponse answer = client.createResponse(safe, call);
          call.received(answer);
          keepIfBackground(safe, answer, call);
          remember(request, answer, vault, call.caller());
          ModelResponse restored =
              vault.isEmpty() ? answer : new Rehydrator(vault).rehydrate(answer);
          outputs.check(request, restored);
          return restored;
        });
  }

  public Answer<ModelResponse> retrieveResponse(EntryPoint entry, String id) {
    require(id, "response_id");
    return run(
        "responses.retrieve",
        entry,
        null,
        call -> {
          mine(call, RESPONSE, id, "response_id");
          ModelResponse answer;
          try {
            answer = client.retrieveResponse(id, call);
          } catch (NotFoundException e) {
            background.release(id); // gone upstream: a background response never ends now
            throw e;
          }
          background.ended(answer);
          return vaults
              .forResponse(id)
              .map(v -> new Rehydrator(v).rehydrate(answer))
              .orElse(answer);
        });
  }

  public Answer<DeletedObject> deleteResponse(EntryPoint entry, String id) {
    require(id, "response_id");
    return run(
        "responses.delete",
        entry,
        null,
        call -> {
          mine(call, RESPONSE, id, "response_id");
          DeletedObject deleted = client.deleteResponse(id, call);
          vaults.deleteForResponse(id);
          background.release(id);
          return deleted;
        });
  }

  public Answer<ModelResponse> cancelResponse(EntryPoint entry, String id) {
    require(id, "response_id");
    return run(
        "responses.cancel",
        entry,
        null,
        call -> {
          mine(call, RESPONSE, id, "response_id");
          ModelResponse answer = client.cancelResponse(id, call);
          background.ended(answer);
          return answer;
        });
  }

  public Answer<ResponseItemList> listInputItems(
      EntryPoint entry, String id, String after, Integer limit, String order) {
    require(id, "response_id");
    require(limit == null || (limit >= 1 && limit <= 100), "limit must be 1 to 100", "limit");
    require(
        order == null || order.equals("asc") || order.equals("desc"),
        "order must be asc or desc",
        "order");
    return run(
        "responses.input_items",
        entry,
        null,
        call -> {
          mine(call, RESPONSE, id, "response_id");
          ResponseItemList items = client.listInputItems(id, after, limit, order, call);
          return vaults.forResponse(id).map(v -> new Rehydrator(v).rehydrate(items)).orElse(items);
        });
  }

  public Answer<EmbeddingResponse> embeddings(EntryPoint entry, EmbeddingRequest request) {
    require(request != null, "the request body must be an embeddings request", null);
    require(request.model(), "model");
    require(request.input() != null, "input is required", "input");
    require(
        !(request.input().isTokens() && redactor.engine().policy().enabled()),
        "input must be text: Warden screens embedding input for personal data and cannot read"
            + " token ids (LangChain: check_embedding_ctx_length=False)",
        "input");
    RequestChecks.check(request);
    knownModel(request.model());
    return run(
        "embeddings",
        entry,
        request.model(),
        request,
        call -> {
          admission.admit(request, call);
          EmbeddingRequest safe =
              redact(
                  () -> redactor.redact(request, call.caller().tenant(), new PlaceholderVault()),
                  call);
          call.sent(safe, request.user());
          // the vectors are not kept in the audit record (call.received): usage comes from the body
          return client.embeddings(safe, call);
        });
  }

  public Answer<ModelList> listModels(EntryPoint entry) {
    return run("models.list", entry, null, client::listModels);
  }

  public Answer<FileObject> uploadFile(
      EntryPoint entry, String filename, byte[] content, String purpose) {
    require(filename, "filename");
    require(purpose, "purpose");
    require(content != null && content.length > 0, "the file is empty", "file");
    boolean jsonl = purpose.equals("batch") || purpose.equals("fine-tune");
    require(
        jsonl || !redactor.engine().policy().enabled(),
        "Warden uploads only files it can screen for personal data: JSONL for purpose batch or"
            + " fine-tune",
        "purpose");
    return run(
        "files.upload",
        entry,
        null,
        call -> {
          PlaceholderVault vault = new PlaceholderVault();
          byte[] safe =
              jsonl
                  ? redact(() -> redactor.redactJsonl(content, call.caller().tenant(), vault), call)
                  : content;
          FileObject file = client.uploadFile(filename, safe, purpose, call);
          if (file.id() != null) {
            vaults.saveForFile(file.id(), vault);
            ownership.own(FILE, file.id(), call.caller());
          }
          return file;
        });
  }

  public Answer<byte[]> fileContent(EntryPoint entry, String fileId) {
    require(fileId, "file_id");
    return run(
        "files.content",
        entry,
        null,
        call -> {
          mine(call, FILE, fileId, "file_id");
          byte[] content = client.fileContent(fileId, call);
          return vaults
              .forFile(fileId)
              .map(v -> new Rehydrator(v).rehydrateJson(content))
              .orElse(content);
        });
  }

  public Answer<Batch> createBatch(EntryPoint entry, CreateBatchRequest request) {
    require(request != null, "the request body must be a batch request", null);
    require(request.inputFileId(), "input_file_id");
    require(request.endpoint(), "endpoint");
    return run(
        "batches.create",
        entry,
        null,
        call -> {
          mine(call, FILE, request.inputFileId(), "input_file_id");
          Batch batch = client.createBatch(request, call);
          ownership.own(BATCH, batch.id(), call.caller());
          return batch;
        });
  }

  public Answer<Batch> retrieveBatch(EntryPoint entry, String id) {
    require(id, "batch_id");
    return run(
        "batches.retrieve",
        entry,
        null,
        call -> {
          mine(call, BATCH, id, "batch_id");
          Batch batch = client.retrieveBatch(id, call);
          linkResults(batch);
          return batch;
        });
  }

  public Answer<Batch> cancelBatch(EntryPoint entry, String id) {
    require(id, "batch_id");
    return run(
        "batches.cancel",
        entry,
        null,
        call -> {
          mine(call, BATCH, id, "batch_id");
          return client.cancelBatch(id, call);
        });
  }

  public Answer<BatchList> listBatches(EntryPoint entry, String after, Integer limit) {
    return run(
        "batches.list",
        entry,
        null,
        call -> {
          BatchList all = client.listBatches(after, limit, call);
          if (call.entryPoint() != EntryPoint.V1) {
            return all;
          }
          // a /v1 caller sees only its own batches (a page may hold fewer than the limit)
          return new BatchList(
              all.object(),
              all.data().stream()
                  .filter(b -> ownership.owns(BATCH, b.id(), call.caller()))
                  .toList(),
              all.firstId(),
              all.lastId(),
              all.hasMore());
        });
  }

  // ---- deferred calls (DeferredCalls): the same stages, split at the Batch API ----------------

  /** Refuses a deferred chat completion the upstream would refuse anyway (400). */
  void validateDeferred(ChatCompletionRequest request) {
    validate(request);
    refuseStreaming(request.stream());
  }

  /**
   * Admits (at the batch price), redacts into {@code vault} and screens one deferred chat
   * completion, recording all of it in {@code call}; returns the request to put in the batch file.
   */
  ChatCompletionRequest prepareDeferred(
      ChatCompletionRequest request, PlaceholderVault vault, CallContext call) {
    ChatCompletionRequest safe = protect(admission.admitBatched(request, call), vault, call);
    call.sent(safe, subjectOf(request.safetyIdentifier(), request.user()));
    return safe;
  }

  /** Reports a call that ended without reaching the upstream (its one {@link CallFinished}). */
  void failed(CallContext call, String operation, RuntimeException failure) {
    fire(call, operation, false, TokenUsage.NONE, Outcome.FAILED, failure);
  }

  /**
   * Uploads a batch input file whose lines were redacted already (into {@code vault}, kept for the
   * file so its results read back restored).
   */
  Answer<FileObject> uploadRedacted(
      EntryPoint entry, String filename, byte[] content, PlaceholderVault vault) {
    return run(
        "files.upload",
        entry,
        null,
        call -> {
          FileObject file = client.uploadFile(filename, content, "batch", call);
          if (file.id() != null) {
            vaults.saveForFile(file.id(), vault);
          }
          return file;
        });
  }

  /** A file's content exactly as the upstream holds it (placeholders, not restored values). */
  Answer<byte[]> upstreamFileContent(EntryPoint entry, String fileId) {
    require(fileId, "file_id");
    return run("files.content", entry, null, call -> client.fileContent(fileId, call));
  }

  /**
   * Opens a chat completion stream: validation, then the upstream stream with its first event (with
   * retries and fallback, since the caller has seen nothing yet). Warden always asks the upstream
   * for usage; the caller sees the usage chunk only if it asked. Relay the result with {@link
   * StreamingCall#relay}.
   */
  public StreamingCall openChatStream(EntryPoint entry, ChatCompletionRequest request) {
    validate(request);
    boolean callerWantsUsage =
        request.streamOptions() != null
            && Boolean.TRUE.equals(request.streamOptions().includeUsage());
    StreamOptions options =
        new StreamOptions(
            true,
            request.streamOptions() == null ? null : request.streamOptions().includeObfuscation());
    ChatCompletionRequest upstream =
        request.toBuilder().stream(true).streamOptions(options).build();
    CallContext call = new CallContext(callers.current(), entry, request.model(), clock);
    return open(
        call,
        "chat.completions",
        request,
        finished::fire,
        result -> outputs.check(request, result),
        () -> {
          PlaceholderVault vault = new PlaceholderVault();
          ChatCompletionRequest safe = protect(admission.admit(upstream, call), vault, call);
          call.sent(safe, subjectOf(request.safetyIdentifier(), request.user()));
          return client.openChatStream(
              safe,
              () ->
                  RehydratingAccumulator.chat(
                      new ChatStreamAccumulator(callerWantsUsage, call.upstreamRequestId()), vault),
              call);
        });
  }

  /** Opens a Responses API stream; see {@link #openChatStream}. */
  public StreamingCall openResponseStream(EntryPoint entry, CreateResponseRequest request) {
    validate(request);
    CreateResponseRequest upstream = request.toBuilder().stream(true).build();
    CallContext call = new CallContext(callers.current(), entry, request.model(), clock);
    PlaceholderVault vault = vaultFor(request);
    return open(
        call,
        "responses.create",
        request,
        report -> {
          if (report.outcome() == Outcome.SUCCEEDED
              && report.upstreamAnswer() instanceof ModelResponse) {
            remember(request, (ModelResponse) report.upstreamAnswer(), vault, report.caller());
          }
          finished.fire(report);
        },
        result -> outputs.check(request, result),
        () -> {
          mine(call, RESPONSE, request.previousResponseId(), "previous_response_id");
          CreateResponseRequest safe = protect(admission.admit(upstream, call), vault, call);
          call.sent(safe, subjectOf(request.safetyIdentifier(), request.user()));
          return client.openResponseStream(
              safe,
              () ->
                  RehydratingAccumulator.responses(
                      new ResponsesStreamAccumulator(call.upstreamRequestId()), vault),
              call);
        });
  }

  private StreamingCall open(
      CallContext call,
      String operation,
      Object request,
      Consumer<CallFinished> report,
      Consumer<StreamResult> check,
      Supplier<OpenStream> open) {
    CompletableFuture<Void> pending = null;
    OpenStream stream = null;
    // the span stays open after the scope: it ends with the stream's CallFinished
    CallSpans.Current traced = tracing().start(call, operation, request);
    try {
      inScope(call);
      // the outbox row is written while the upstream stream opens; the first byte waits for it
      pending = outbox.pending(call, operation);
      stream = open.get();
      awaitPending(pending);
      return new StreamingCall(call, stream, operation, clock, report, check);
    } catch (RuntimeException e) {
      if (stream != null) {
        stream.stream().close();
      }
      if (pending != null) {
        // the record must commit after the row, so that it removes it
        pending.exceptionally(failure -> null).join();
      }
      RuntimeException failure = CallerGuardedFailure.unwrap(e);
      fire(call, operation, true, TokenUsage.NONE, Outcome.FAILED, failure);
      throw failure;
    } finally {
      traced.close();
    }
  }

  private static void awaitPending(CompletableFuture<Void> pending) {
    try {
      pending.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Refuses a model outside the caller's API key scope, before anything is sent. */
  private static void inScope(CallContext call) {
    String model = call.requestedModel();
    if (!call.caller().scope().allows(model)) {
      throw new ModelNotAllowedRefusal(model);
    }
  }

  /** The tracer of calls: OpenTelemetry's where the application sees its API, else none. */
  private CallSpans tracing() {
    CallSpans t = tracing;
    if (t == null) {
      t = spans.isResolvable() ? spans.get() : CallSpans.NONE;
      tracing = t;
    }
    return t;
  }

  private <T> Answer<T> run(
      String operation, EntryPoint entry, String model, Function<CallContext, T> action) {
    return run(operation, entry, model, null, action);
  }

  /** Runs one call; {@code request} (may be {@code null}) describes it to tracing. */
  private <T> Answer<T> run(
      String operation,
      EntryPoint entry,
      String model,
      Object request,
      Function<CallContext, T> action) {
    CallContext call = new CallContext(callers.current(), entry, model, clock);
    T body;
    CallSpans.Current traced = tracing().start(call, operation, request);
    try {
      inScope(call);
      body = action.apply(call);
    } catch (RuntimeException e) {
      RuntimeException failure = CallerGuardedFailure.unwrap(e);
      // a call that failed after the upstream answered (output validation) was still paid for
      fire(call, operation, false, usageOf(call.upstreamAnswer()), Outcome.FAILED, failure);
      throw failure;
    } finally {
      traced.close();
    }
    // usage from the upstream's answer: a typed result no longer carries it
    Object upstream = call.upstreamAnswer();
    fire(
        call,
        operation,
        false,
        usageOf(upstream != null ? upstream : body),
        Outcome.SUCCEEDED,
        null);
    return new Answer<>(
        body,
        call.requestId(),
        call.requestedModel(),
        call.answeredBy(),
        call.modelSnapshot(),
        call.fallback(),
        call.attempts(),
        call.delays(),
        call.upstreamRequestId(),
        Duration.between(call.startedAt(), clock.instant()));
  }

  private void fire(
      CallContext call,
      String operation,
      boolean streamed,
      TokenUsage usage,
      Outcome outcome,
      RuntimeException failure) {
    finished.fire(
        call.finished(
            operation,
            streamed,
            call.modelSnapshot(),
            clock.instant(),
            null,
            usage,
            outcome,
            failure,
            call.upstreamAnswer()));
  }

  /**
   * The vault a Responses request starts from: the one stored with its {@code previous_response_id}
   * (so {@code <EMAIL_1>} is the same address as in the earlier turns), or a new one.
   */
  private PlaceholderVault vaultFor(CreateResponseRequest request) {
    String previous = request.previousResponseId();
    if (previous == null || previous.isBlank()) {
      return new PlaceholderVault();
    }
    return vaults.forResponse(previous).orElseGet(PlaceholderVault::new);
  }

  /**
   * Stores the vault of a response the upstream keeps ({@code store} is on by default), for the
   * turns that continue it and for reading it back.
   */
  private void remember(
      CreateResponseRequest request, ModelResponse answer, PlaceholderVault vault, Caller caller) {
    if (!Boolean.FALSE.equals(request.store()) && answer.id() != null) {
      vaults.saveForResponse(answer.id(), vault);
      ownership.own(RESPONSE, answer.id(), caller);
    }
  }

  /**
   * A {@code /v1} caller reaches only the objects its principal created through Warden: anything
   * else is "not found", before any upstream call (see {@link Ownership}).
   */
  private void mine(CallContext call, String kind, String id, String param) {
    if (id != null
        && call.entryPoint() == EntryPoint.V1
        && !ownership.owns(kind, id, call.caller())) {
      throw new NotFoundException(
          new ErrorInfo(
              404,
              "No " + kind + " found with id '" + id + "'.",
              "invalid_request_error",
              null,
              param,
              null,
              null),
          null);
    }
  }

  /**
   * A background response that has not ended keeps the call's reservation until it does ({@link
   * BackgroundCharges}); the call itself then reports no cost.
   */
  private void keepIfBackground(
      CreateResponseRequest sent, ModelResponse answer, CallContext call) {
    if (!Boolean.TRUE.equals(sent.background())
        || answer.id() == null
        || BackgroundCharges.ENDED.contains(answer.status())) {
      return;
    }
    Reservation reservation = call.reservation(Reservation.class);
    if (reservation != null) {
      reservation.detach().ifPresent(held -> background.hold(answer.id(), call, held));
    }
  }

  /** Lets a batch's results be rehydrated with its input file's vault. */
  private void linkResults(Batch batch) {
    if (batch.inputFileId() == null) {
      return;
    }
    if (batch.outputFileId() != null) {
      vaults.linkFile(batch.inputFileId(), batch.outputFileId());
      ownership.ownLike(FILE, batch.outputFileId(), BATCH, batch.id());
    }
    if (batch.errorFileId() != null) {
      vaults.linkFile(batch.inputFileId(), batch.errorFileId());
      ownership.ownLike(FILE, batch.errorFileId(), BATCH, batch.id());
    }
  }

  /**
   * Runs one redaction and records what it found; fails closed: a blocked entity type refuses the
   * request ({@code pii_blocked}), any failure of the redaction itself too ({@code
   * redaction_failed}).
   */
  private <T> T redact(Supplier<Redacted<T>> redaction, CallContext call) {
    Redacted<T> redacted;
    try {
      redacted = redaction.get();
    } catch (PiiBlockedRefusal e) {
      throw refused(e, call);
    }
    call.redacted(redacted.counts());
    return redacted.value();
  }

  /**
   * Redacts {@code request} into {@code vault} and screens its user content and tool results,
   * recording both in {@code call}; returns the request to send upstream.
   */
  private ChatCompletionRequest protect(
      ChatCompletionRequest request, PlaceholderVault vault, CallContext call) {
    ChatCompletionRequest safe =
        redact(() -> redactor.redact(request, call.caller().tenant(), vault), call);
    screened(screener.screen(request), call);
    return safe;
  }

  private CreateResponseRequest protect(
      CreateResponseRequest request, PlaceholderVault vault, CallContext call) {
    CreateResponseRequest safe =
        redact(() -> redactor.redact(request, call.caller().tenant(), vault), call);
    screened(screener.screen(request), call);
    return safe;
  }

  private static PiiBlockedRefusal refused(PiiBlockedRefusal e, CallContext call) {
    call.redacted(Map.of(e.entityType(), 1));
    return e;
  }

  /**
   * Records the combined verdict (the highest score, the union of the matched rules, the strictest
   * action) and refuses the request when it is blocked.
   */
  private static void screened(Verdict combined, CallContext call) {
    if (combined == null) {
      return;
    }
    call.screened(combined);
    if (combined.blocked()) {
      throw new PromptInjectionRefusal();
    }
  }

  static String subjectOf(String safetyIdentifier, String user) {
    if (safetyIdentifier != null && !safetyIdentifier.isBlank()) {
      return safetyIdentifier;
    }
    return user == null || user.isBlank() ? null : user;
  }

  private static TokenUsage usageOf(Object body) {
    if (body instanceof ChatCompletion) {
      return TokenUsage.of(((ChatCompletion) body).usage());
    }
    if (body instanceof ModelResponse) {
      return TokenUsage.of(((ModelResponse) body).usage());
    }
    if (body instanceof EmbeddingResponse && ((EmbeddingResponse) body).usage() != null) {
      Integer prompt = ((EmbeddingResponse) body).usage().promptTokens();
      return new TokenUsage(prompt == null ? 0 : prompt, 0, 0, 0);
    }
    return TokenUsage.NONE;
  }

  private void validate(ChatCompletionRequest request) {
    require(request != null, "the request body must be a chat completion request", null);
    require(request.model(), "model");
    require(
        request.messages() != null && !request.messages().isEmpty(),
        "messages must contain at least one message",
        "messages");
    RequestChecks.check(request);
    knownModel(request.model());
  }

  private void validate(CreateResponseRequest request) {
    require(request != null, "the request body must be a response request", null);
    require(request.model(), "model");
    RequestChecks.check(request);
    knownModel(request.model());
  }

  /** Refuses a model Warden does not know, as OpenAI would ({@link KnownModels}). */
  private void knownModel(String model) {
    if (!models.allows(model)) {
      throw RequestChecks.unknownModel(model);
    }
  }

  private static void refuseStreaming(Boolean stream) {
    require(
        !Boolean.TRUE.equals(stream),
        "stream: true needs the streaming call (OpenAi.streamChat / streamResponse)",
        "stream");
  }

  private static void require(String value, String param) {
    require(value != null && !value.isBlank(), param + " is required", param);
  }

  private static void require(boolean condition, String message, String param) {
    if (!condition) {
      throw new BadRequestException(
          new ErrorInfo(400, message, "invalid_request_error", null, param, null, null), null);
    }
  }
}
