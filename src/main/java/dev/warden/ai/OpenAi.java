package dev.warden.ai;

import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.call.EntryPoint;
import dev.warden.call.PromptRef;
import dev.warden.call.PromptScope;
import dev.warden.config.Jsonp;
import dev.warden.config.VirtualThreads;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.BatchList;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ConversationItemsRequest;
import dev.warden.openai.model.ConversationObject;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateConversationRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.model.ModelList;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.openai.model.UpdateConversationRequest;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.StreamResult;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What applications inject to use OpenAI through Warden.
 *
 * <pre>{@code
 * @Inject OpenAi openAi;
 * Answer<ChatCompletion> a = openAi.chat(ChatCompletionRequest.builder()
 *     .model("gpt-4o-mini").messages(List.of(ChatMessage.user("Hello"))).build());
 * a.body().firstText(); a.answeredBy(); a.fallbackUsed();
 * }</pre>
 *
 * Every method goes through the {@link Pipeline}: the same validation, fault tolerance and (as they
 * land) budgets, redaction and audit as the HTTP surfaces. Failures are unchecked {@link
 * dev.warden.openai.error.OpenAiException}s; by the time one reaches the caller, retriable failures
 * have been retried and the fallback chain (chat and responses only) has been tried.
 */
@ApplicationScoped
public class OpenAi {

  @Inject Pipeline pipeline;
  @Inject DeferredCalls deferred;
  @Inject Callers callers;
  @Inject ConversationObjects conversations;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ExecutorService executor;

  @Resource(lookup = "java:comp/DefaultContextService")
  ContextService context;

  /**
   * Where a {@link Flow.Publisher} stream runs: on a virtual thread of its own where the JVM has
   * them ({@link VirtualThreads}), with the application's context as a managed executor gives it,
   * so that a stream waiting for the upstream holds no platform thread; else on the managed
   * executor.
   */
  private Executor streams;

  @PostConstruct
  void init() {
    ThreadFactory virtual = VirtualThreads.forStreams("warden-flow-");
    streams =
        virtual == null
            ? executor
            : task -> virtual.newThread(context.contextualRunnable(task)).start();
  }

  /** A chat completion. */
  public Answer<ChatCompletion> chat(ChatCompletionRequest request) {
    return pipeline.chat(EntryPoint.CDI, request);
  }

  /**
   * A chat completion whose structured output is bound to {@code type}: the request names the
   * contract as a {@code json_schema} response format; the output is checked against that schema,
   * bound with JSON-B, and checked against {@code type}'s Jakarta Bean Validation constraints
   * before it is returned.
   *
   * @throws dev.warden.call.refusal.OutputValidationRefusal when any check fails (the answer is
   *     withheld and the call recorded as failed)
   * @throws dev.warden.openai.error.BadRequestException when the request has no JSON schema
   */
  public <T> Answer<T> chat(ChatCompletionRequest request, Class<T> type) {
    return pipeline.chat(EntryPoint.CDI, request, type);
  }

  /** The text of a one-message chat completion: the simplest call there is. */
  public String ask(String model, String prompt) {
    return chat(ChatCompletionRequest.builder()
            .model(model)
            .messages(List.of(ChatMessage.user(prompt)))
            .build())
        .body()
        .firstText();
  }

  /**
   * A streamed chat completion as a {@link Flow.Publisher}: {@link StreamEvent.TextDelta}s as the
   * text is generated, {@link StreamEvent.ToolCallReady} once a tool call's arguments are complete,
   * then one {@link StreamEvent.Completed} with the full text, usage and finish reason. The request
   * is sent when the subscriber first requests; cancelling the subscription aborts it at once.
   */
  public Flow.Publisher<StreamEvent> streamChat(ChatCompletionRequest request) {
    return publisher(() -> pipeline.openChatStream(EntryPoint.CDI, request));
  }

  /**
   * A streamed chat completion as {@link #streamChat(ChatCompletionRequest)} does, rendered from
   * {@code prompt}, which is recorded with the call ({@link CallFinished#prompt()}).
   */
  public Flow.Publisher<StreamEvent> streamChat(ChatCompletionRequest request, PromptRef prompt) {
    return publisher(
        () -> PromptScope.with(prompt, () -> pipeline.openChatStream(EntryPoint.CDI, request)));
  }

  /**
   * A streamed chat completion on the calling thread: {@code onText} receives each piece of text as
   * it arrives; returns the full result.
   *
   * @throws dev.warden.openai.error.OpenAiException when the call fails, before or during the
   *     stream
   */
  public StreamResult streamChat(ChatCompletionRequest request, Consumer<String> onText) {
    return relay(pipeline.openChatStream(EntryPoint.CDI, request), onText);
  }

  /** A streamed Responses API call as a {@link Flow.Publisher}; see {@link #streamChat}. */
  public Flow.Publisher<StreamEvent> streamResponse(CreateResponseRequest request) {
    return publisher(() -> pipeline.openResponseStream(EntryPoint.CDI, request));
  }

  /**
   * A publisher whose stream {@code open}s on a stream thread as the current caller: every {@link
   * Flow.Publisher} stream takes its caller along here, so none can open as nobody.
   */
  private Flow.Publisher<StreamEvent> publisher(Supplier<StreamingCall> open) {
    Caller caller = callers.current(); // the stream opens on another thread
    return new StreamPublisher(() -> Caller.runAs(caller, open), streams);
  }

  /** A streamed Responses API call on the calling thread; see {@link #streamChat}. */
  public StreamResult streamResponse(CreateResponseRequest request, Consumer<String> onText) {
    return relay(pipeline.openResponseStream(EntryPoint.CDI, request), onText);
  }

  private static StreamResult relay(StreamingCall call, Consumer<String> onText) {
    OpenAiException[] failure = new OpenAiException[1];
    call.relay(
        new StreamSink() {
          @Override
          public void delta(StreamDelta delta) {
            if (!delta.text().isEmpty()) {
              onText.accept(delta.text());
            }
          }

          @Override
          public void failed(OpenAiException e) {
            failure[0] = e;
          }

          @Override
          public void completed(StreamResult result) {}
        });
    if (failure[0] != null) {
      throw failure[0];
    }
    return call.result();
  }

  /**
   * A chat completion that can wait (up to 24 hours): it goes through the Batch API at the batch
   * price and returns at once, {@link DeferredCall.Status#SUBMITTED}. Follow it with {@link
   * #deferred(String)} and read its answer with {@link #deferredResult(String)}; see {@link
   * DeferredCalls}.
   *
   * @throws OpenAiException if it is refused (budget, rate limit, context window, PII, screening)
   *     or cannot be submitted
   */
  public DeferredCall defer(ChatCompletionRequest request) {
    return deferred.defer(EntryPoint.CDI, request);
  }

  /**
   * A Responses call that can wait, deferred through the Batch API as {@link
   * #defer(ChatCompletionRequest)}; read its answer with {@link #deferredResult(String, Class)} and
   * {@code ModelResponse.class}. It cannot stream, run in the background or continue a stored
   * response.
   */
  public DeferredCall defer(CreateResponseRequest request) {
    return deferred.defer(EntryPoint.CDI, request);
  }

  /**
   * An embeddings call that can wait, deferred through the Batch API as {@link
   * #defer(ChatCompletionRequest)}; read its answer with {@link #deferredResult(String, Class)} and
   * {@code EmbeddingResponse.class}.
   */
  public DeferredCall defer(EmbeddingRequest request) {
    return deferred.defer(EntryPoint.CDI, request);
  }

  /**
   * Defers several chat completions together, in one batch; a refused one comes back {@link
   * DeferredCall.Status#FAILED} with its error code.
   */
  public List<DeferredCall> defer(List<ChatCompletionRequest> requests) {
    return deferred.deferAll(EntryPoint.CDI, requests);
  }

  /**
   * A deferred call of the current caller.
   *
   * @throws NoSuchDeferredCallException if the caller has none with this id
   */
  public DeferredCall deferred(String id) {
    return deferred.status(id, callers.current());
  }

  /** The answer of a deferred call of the current caller; see {@link DeferredCalls#result}. */
  public java.util.Optional<ChatCompletion> deferredResult(String id) {
    return deferred.result(id, callers.current());
  }

  /**
   * The answer of a deferred call of the current caller as {@code type} ({@code ChatCompletion},
   * {@code ModelResponse} or {@code EmbeddingResponse}, as the call's kind); see {@link
   * DeferredCalls#result(String, dev.warden.call.Caller, Class)}.
   */
  public <T> java.util.Optional<T> deferredResult(String id, Class<T> type) {
    return deferred.result(id, callers.current(), type);
  }

  /** A Responses API call (stored state, {@code previous_response_id}, background). */
  public Answer<ModelResponse> respond(CreateResponseRequest request) {
    return pipeline.createResponse(EntryPoint.CDI, request);
  }

  public Answer<ModelResponse> retrieveResponse(String id) {
    return pipeline.retrieveResponse(EntryPoint.CDI, id);
  }

  public Answer<ModelResponse> cancelResponse(String id) {
    return pipeline.cancelResponse(EntryPoint.CDI, id);
  }

  public Answer<DeletedObject> deleteResponse(String id) {
    return pipeline.deleteResponse(EntryPoint.CDI, id);
  }

  public Answer<ResponseItemList> listInputItems(
      String id, String after, Integer limit, String order) {
    return pipeline.listInputItems(EntryPoint.CDI, id, after, limit, order);
  }

  /**
   * Creates a conversation of OpenAI's Conversations API, with initial items (redacted into a
   * placeholder vault kept for the conversation); see {@link ConversationObjects}.
   */
  public Answer<ConversationObject> createConversation(CreateConversationRequest request) {
    return conversations.create(EntryPoint.CDI, request);
  }

  public Answer<ConversationObject> retrieveConversation(String id) {
    return conversations.retrieve(EntryPoint.CDI, id);
  }

  public Answer<ConversationObject> updateConversation(String id, Map<String, String> metadata) {
    return conversations.update(EntryPoint.CDI, id, new UpdateConversationRequest(metadata));
  }

  public Answer<DeletedObject> deleteConversation(String id) {
    return conversations.delete(EntryPoint.CDI, id);
  }

  /** Adds items to a conversation, redacted with its placeholders; answers them, restored. */
  public Answer<ResponseItemList> addConversationItems(String id, List<ResponseItem> items) {
    return conversations.addItems(EntryPoint.CDI, id, new ConversationItemsRequest(items));
  }

  /** A page of a conversation's items, restored. */
  public Answer<ResponseItemList> listConversationItems(
      String id, String after, Integer limit, String order) {
    return conversations.listItems(EntryPoint.CDI, id, after, limit, order);
  }

  public Answer<ResponseItem> conversationItem(String id, String itemId) {
    return conversations.item(EntryPoint.CDI, id, itemId);
  }

  public Answer<ConversationObject> deleteConversationItem(String id, String itemId) {
    return conversations.deleteItem(EntryPoint.CDI, id, itemId);
  }

  /**
   * A Responses API call within the conversation {@code conversationId}: the upstream reads its
   * items before {@code request}'s input and adds the input and output to it; placeholders are the
   * conversation's.
   */
  public Answer<ModelResponse> respondIn(String conversationId, CreateResponseRequest request) {
    return respond(request.toBuilder().conversation(Jsonp.createValue(conversationId)).build());
  }

  public Answer<EmbeddingResponse> embed(EmbeddingRequest request) {
    return pipeline.embeddings(EntryPoint.CDI, request);
  }

  public Answer<ModelList> models() {
    return pipeline.listModels(EntryPoint.CDI);
  }

  /** Uploads a file, e.g. the JSONL input of a batch ({@code purpose = "batch"}). */
  public Answer<FileObject> uploadFile(String filename, byte[] content, String purpose) {
    return pipeline.uploadFile(EntryPoint.CDI, filename, content, purpose);
  }

  public Answer<byte[]> fileContent(String fileId) {
    return pipeline.fileContent(EntryPoint.CDI, fileId);
  }

  public Answer<Batch> createBatch(CreateBatchRequest request) {
    return pipeline.createBatch(EntryPoint.CDI, request);
  }

  public Answer<Batch> retrieveBatch(String id) {
    return pipeline.retrieveBatch(EntryPoint.CDI, id);
  }

  public Answer<Batch> cancelBatch(String id) {
    return pipeline.cancelBatch(EntryPoint.CDI, id);
  }

  public Answer<BatchList> listBatches(String after, Integer limit) {
    return pipeline.listBatches(EntryPoint.CDI, after, limit);
  }
}
