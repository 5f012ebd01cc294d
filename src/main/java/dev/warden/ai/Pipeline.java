package dev.warden.ai;

import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
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
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one request path. Every entry point — injected beans ({@link OpenAi}), {@code /v1} and {@code
 * /api} — calls this class, and it calls the stages in order:
 *
 * <ol>
 *   <li>validate: refuse what the upstream would refuse anyway, before any upstream call;
 *   <li>call: {@link ResilientOpenAi} (timeouts, retries, circuit breaker, fallback chain);
 *   <li>answer: the body plus what happened ({@link Answer}).
 * </ol>
 *
 * Identity, admission (budgets, rate limits), prompts, redaction, screening, validation of the
 * output, settlement and audit are stages that plug in here, so no entry point can skip them.
 */
@ApplicationScoped
public class Pipeline {

  @Inject ResilientOpenAi client;
  @Inject Clock clock;
  @Inject Event<CallFinished> finished;

  public Answer<ChatCompletion> chat(EntryPoint entry, ChatCompletionRequest request) {
    require(request != null, "the request body must be a chat completion request", null);
    require(request.model(), "model");
    require(
        request.messages() != null && !request.messages().isEmpty(),
        "messages must contain at least one message",
        "messages");
    refuseStreaming(request.stream());
    return run("chat.completions", entry, request.model(), call -> client.chat(request, call));
  }

  public Answer<ModelResponse> createResponse(EntryPoint entry, CreateResponseRequest request) {
    require(request != null, "the request body must be a response request", null);
    require(request.model(), "model");
    refuseStreaming(request.stream());
    return run(
        "responses.create", entry, request.model(), call -> client.createResponse(request, call));
  }

  public Answer<ModelResponse> retrieveResponse(EntryPoint entry, String id) {
    require(id, "response_id");
    return run("responses.retrieve", entry, null, call -> client.retrieveResponse(id, call));
  }

  public Answer<DeletedObject> deleteResponse(EntryPoint entry, String id) {
    require(id, "response_id");
    return run("responses.delete", entry, null, call -> client.deleteResponse(id, call));
  }

  public Answer<ModelResponse> cancelResponse(EntryPoint entry, String id) {
    require(id, "response_id");
    return run("responses.cancel", entry, null, call -> client.cancelResponse(id, call));
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
        call -> client.listInputItems(id, after, limit, order, call));
  }

  public Answer<EmbeddingResponse> embeddings(EntryPoint entry, EmbeddingRequest request) {
    require(request != null, "the request body must be an embeddings request", null);
    require(request.model(), "model");
    require(request.input() != null, "input is required", "input");
    return run("embeddings", entry, request.model(), call -> client.embeddings(request, call));
  }

  public Answer<ModelList> listModels(EntryPoint entry) {
    return run("models.list", entry, null, client::listModels);
  }

  public Answer<FileObject> uploadFile(
      EntryPoint entry, String filename, byte[] content, String purpose) {
    require(filename, "filename");
    require(purpose, "purpose");
    require(content != null && content.length > 0, "the file is empty", "file");
    return run(
        "files.upload", entry, null, call -> client.uploadFile(filename, content, purpose, call));
  }

  public Answer<byte[]> fileContent(EntryPoint entry, String fileId) {
    require(fileId, "file_id");
    return run("files.content", entry, null, call -> client.fileContent(fileId, call));
  }

  public Answer<Batch> createBatch(EntryPoint entry, CreateBatchRequest request) {
    require(request != null, "the request body must be a batch request", null);
    require(request.inputFileId(), "input_file_id");
    require(request.endpoint(), "endpoint");
    return run("batches.create", entry, null, call -> client.createBatch(request, call));
  }

  public Answer<Batch> retrieveBatch(EntryPoint entry, String id) {
    require(id, "batch_id");
    return run("batches.retrieve", entry, null, call -> client.retrieveBatch(id, call));
  }

  public Answer<Batch> cancelBatch(EntryPoint entry, String id) {
    require(id, "batch_id");
    return run("batches.cancel", entry, null, call -> client.cancelBatch(id, call));
  }

  public Answer<BatchList> listBatches(EntryPoint entry, String after, Integer limit) {
    return run("batches.list", entry, null, call -> client.listBatches(after, limit, call));
  }

  /**
   * Opens a chat completion stream: validation, then the upstream stream with its first event (with
   * retries and fallback, since the caller has seen nothing yet). Warden always asks the upstream
   * for usage; the caller sees the usage chunk only if it asked. Relay the result with {@link
   * StreamingCall#relay}.
   */
  public StreamingCall openChatStream(EntryPoint entry, ChatCompletionRequest request) {
    require(request != null, "the request body must be a chat completion request", null);
    require(request.model(), "model");
    require(
        request.messages() != null && !request.messages().isEmpty(),
        "messages must contain at least one message",
        "messages");
    boolean callerWantsUsage =
        request.streamOptions() != null
            && Boolean.TRUE.equals(request.streamOptions().includeUsage());
    StreamOptions options =
        new StreamOptions(
            true,
            request.streamOptions() == null ? null : request.streamOptions().includeObfuscation());
    ChatCompletionRequest upstream =
        request.toBuilder().stream(true).streamOptions(options).build();
    CallContext call = new CallContext(entry, request.model(), clock);
    return open(
        call,
        "chat.completions",
        () ->
            client.openChatStream(
                upstream,
                () -> new ChatStreamAccumulator(callerWantsUsage, call.upstreamRequestId()),
                call));
  }

  /** Opens a Responses API stream; see {@link #openChatStream}. */
  public StreamingCall openResponseStream(EntryPoint entry, CreateResponseRequest request) {
    require(request != null, "the request body must be a response request", null);
    require(request.model(), "model");
    CreateResponseRequest upstream = request.toBuilder().stream(true).build();
    CallContext call = new CallContext(entry, request.model(), clock);
    return open(
        call,
        "responses.create",
        () ->
            client.openResponseStream(
                upstream, () -> new ResponsesStreamAccumulator(call.upstreamRequestId()), call));
  }

  private StreamingCall open(CallContext call, String operation, Supplier<OpenStream> open) {
    try {
      return new StreamingCall(call, open.get(), operation, clock, finished::fire);
    } catch (RuntimeException e) {
      fire(call, operation, true, TokenUsage.NONE, Outcome.FAILED, e);
      throw e;
    }
  }

  private <T> Answer<T> run(
      String operation, EntryPoint entry, String model, Function<CallContext, T> action) {
    CallContext call = new CallContext(entry, model, clock);
    T body;
    try {
      body = action.apply(call);
    } catch (RuntimeException e) {
      fire(call, operation, false, TokenUsage.NONE, Outcome.FAILED, e);
      throw e;
    }
    fire(call, operation, false, usageOf(body), Outcome.SUCCEEDED, null);
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
        new CallFinished(
            call.requestId(),
            call.entryPoint(),
            operation,
            streamed,
            call.requestedModel(),
            call.answeredBy(),
            call.modelSnapshot(),
            call.fallback(),
            call.attempts(),
            call.upstreamRequestId(),
            call.startedAt(),
            Duration.between(call.startedAt(), clock.instant()),
            null,
            usage,
            outcome,
            failure == null ? null : failure.getClass().getSimpleName()));
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
