package dev.warden.ai;

import dev.warden.config.ConfigProducer;
import dev.warden.cost.KnownModels;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.pii.RequestRedactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The validate stage: refuses what the upstream would refuse anyway (400, with OpenAI's wording),
 * before the call starts, so that it costs nothing and never leaves (see {@link RequestChecks}).
 */
@ApplicationScoped
public class Validation {

  /** The configuration key bounding an uploaded file's bytes. */
  public static final String MAX_FILE_BYTES = "warden.files.max-bytes";

  private final Predicate<String> knownModels;
  private final BooleanSupplier redacting;
  private final int maxFileBytes;

  @Inject
  Validation(KnownModels models, RequestRedactor redactor) {
    this(
        models::allows,
        () -> redactor.engine().policy().enabled(),
        ConfigProducer.settings().integer(MAX_FILE_BYTES, 8 * 1024 * 1024, 1));
  }

  /**
   * @param knownModels the models Warden knows ({@link KnownModels})
   * @param redacting whether redaction is on (then Warden takes only input it can read)
   */
  Validation(Predicate<String> knownModels, BooleanSupplier redacting) {
    this(knownModels, redacting, Integer.MAX_VALUE);
  }

  Validation(Predicate<String> knownModels, BooleanSupplier redacting, int maxFileBytes) {
    this.knownModels = knownModels;
    this.redacting = redacting;
    this.maxFileBytes = maxFileBytes;
  }

  /** For CDI's client proxy. */
  protected Validation() {
    this.knownModels = null;
    this.redacting = null;
    this.maxFileBytes = 0;
  }

  void chat(ChatCompletionRequest request) {
    require(request != null, "the request body must be a chat completion request", null);
    require(request.model(), "model");
    require(
        request.messages() != null && !request.messages().isEmpty(),
        "messages must contain at least one message",
        "messages");
    RequestChecks.check(request);
    knownModel(request.model());
  }

  /** A chat completion whose answer is bound to a type: its schema is the contract. */
  void typed(ChatCompletionRequest request) {
    require(
        request.responseFormat() != null
            && "json_schema".equals(request.responseFormat().type())
            && request.responseFormat().jsonSchema() != null
            && request.responseFormat().jsonSchema().schema() != null,
        "a typed result needs a response_format of type json_schema with a schema",
        "response_format");
  }

  void response(CreateResponseRequest request) {
    require(request != null, "the request body must be a response request", null);
    require(request.model(), "model");
    RequestChecks.check(request);
    knownModel(request.model());
  }

  /**
   * A Responses request to defer through the Batch API: as {@link #response}, not streamed, not in
   * the background, and starting a conversation of its own (a deferred call's placeholders live in
   * its batch file's vault, not in an earlier response's).
   */
  void deferredResponse(CreateResponseRequest request) {
    response(request);
    notStreaming(request.stream());
    require(
        !Boolean.TRUE.equals(request.background()),
        "background: true cannot be deferred: a deferred call is already answered later",
        "background");
    require(
        request.previousResponseId() == null,
        "a deferred call cannot continue a stored response (previous_response_id)",
        "previous_response_id");
    require(
        request.conversation() == null,
        "a deferred call cannot continue a conversation",
        "conversation");
  }

  void embeddings(EmbeddingRequest request) {
    require(request != null, "the request body must be an embeddings request", null);
    require(request.model(), "model");
    require(request.input() != null, "input is required", "input");
    require(
        !(request.input().isTokens() && redacting.getAsBoolean()),
        "input must be text: Warden screens embedding input for personal data and cannot read"
            + " token ids (LangChain: check_embedding_ctx_length=False)",
        "input");
    RequestChecks.check(request);
    knownModel(request.model());
  }

  /** A call that is not a stream: {@code stream: true} needs the streaming call. */
  static void notStreaming(Boolean stream) {
    require(
        !Boolean.TRUE.equals(stream),
        "stream: true needs the streaming call (OpenAi.streamChat / streamResponse)",
        "stream");
  }

  /** An upload; returns whether the file is JSONL (then it is redacted line by line). */
  boolean upload(String filename, byte[] content, String purpose) {
    require(filename, "filename");
    require(purpose, "purpose");
    require(content != null && content.length > 0, "the file is empty", "file");
    fileSize(content);
    boolean jsonl = purpose.equals("batch") || purpose.equals("fine-tune");
    require(
        jsonl || !redacting.getAsBoolean(),
        "Warden uploads only files it can screen for personal data: JSONL for purpose batch or"
            + " fine-tune",
        "purpose");
    return jsonl;
  }

  /** A batch input file sent to {@code /v1}: a name, content, within the size limit. */
  void batchUpload(String filename, byte[] content) {
    require(filename, "filename");
    require(content != null && content.length > 0, "the file is empty", "file");
    fileSize(content);
  }

  private void fileSize(byte[] content) {
    if (content.length > maxFileBytes) {
      throw new BadRequestException(
          new ErrorInfo(
              400,
              "the file is larger than " + maxFileBytes + " bytes (" + MAX_FILE_BYTES + ")",
              "invalid_request_error",
              "file_too_large",
              "file",
              null,
              null),
          null);
    }
  }

  static void batch(CreateBatchRequest request) {
    require(request != null, "the request body must be a batch request", null);
    require(request.inputFileId(), "input_file_id");
    require(request.endpoint(), "endpoint");
  }

  /** A page of files: {@code limit} 1 to 10,000 as OpenAI allows, {@code order} asc or desc. */
  static void fileList(Integer limit, String order) {
    require(limit == null || (limit >= 1 && limit <= 10_000), "limit must be 1 to 10000", "limit");
    page(null, order);
  }

  static void page(Integer limit, String order) {
    require(limit == null || (limit >= 1 && limit <= 100), "limit must be 1 to 100", "limit");
    require(
        order == null || order.equals("asc") || order.equals("desc"),
        "order must be asc or desc",
        "order");
  }

  /** Refuses a model Warden does not know, as OpenAI would ({@link KnownModels}). */
  private void knownModel(String model) {
    if (!knownModels.test(model)) {
      throw RequestChecks.unknownModel(model);
    }
  }

  /** Refuses {@code value} when present: {@code why} it cannot be sent here. */
  static void absent(String value, String param, String why) {
    require(value == null, why + ": remove " + param, param);
  }

  static void require(String value, String param) {
    require(value != null && !value.isBlank(), param + " is required", param);
  }

  private static void require(boolean condition, String message, String param) {
    if (!condition) {
      throw new BadRequestException(
          new ErrorInfo(400, message, "invalid_request_error", null, param, null, null), null);
    }
  }
}
