package dev.warden.ai;

import dev.warden.openai.model.Batch;
import dev.warden.openai.model.BatchList;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.model.ModelList;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseItemList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

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

  /** A chat completion. */
  public Answer<ChatCompletion> chat(ChatCompletionRequest request) {
    return pipeline.chat(EntryPoint.CDI, request);
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
