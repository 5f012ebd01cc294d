package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.cost.Admission;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.model.ModelResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of call that can be deferred through the Batch API ({@link DeferredCalls}): chat
 * completions, Responses and embeddings, each with its batch endpoint, its pipeline kind, its
 * checks and its admission at the batch price.
 */
@ApplicationScoped
public class DeferredKinds {

  /** One kind of deferred call. */
  interface Kind<Req, Ans> {

    /** The batch's {@code endpoint} and every line's {@code url}. */
    String endpoint();

    CallKind<Req, Ans> kind();

    Class<Req> requestType();

    Class<Ans> answerType();

    String model(Req request);

    /** Refuses a request that cannot be deferred (malformed, streamed, ...). */
    void validate(Req request);

    /** Admission with the worst case reserved, and the call settled, at the batch price. */
    Req admit(Req request, CallContext call);
  }

  static final String CHAT = "/v1/chat/completions";
  static final String RESPONSES = "/v1/responses";
  static final String EMBEDDINGS = "/v1/embeddings";

  private final Validation validation;
  private final Admission admission;
  private final ChatKind chat;
  private final ResponsesKind responses;
  private final EmbeddingsKind embeddings;

  @Inject
  DeferredKinds(
      Validation validation,
      Admission admission,
      ChatKind chat,
      ResponsesKind responses,
      EmbeddingsKind embeddings) {
    this.validation = validation;
    this.admission = admission;
    this.chat = chat;
    this.responses = responses;
    this.embeddings = embeddings;
  }

  /** For CDI's client proxy. */
  protected DeferredKinds() {
    this(null, null, null, null, null);
  }

  Kind<ChatCompletionRequest, ChatCompletion> chat() {
    return new Kind<>() {
      @Override
      public String endpoint() {
        return CHAT;
      }

      @Override
      public CallKind<ChatCompletionRequest, ChatCompletion> kind() {
        return chat;
      }

      @Override
      public Class<ChatCompletionRequest> requestType() {
        return ChatCompletionRequest.class;
      }

      @Override
      public Class<ChatCompletion> answerType() {
        return ChatCompletion.class;
      }

      @Override
      public String model(ChatCompletionRequest request) {
        return request.model();
      }

      @Override
      public void validate(ChatCompletionRequest request) {
        notAliased(request == null ? null : request.model());
        validation.chat(request);
        Validation.notStreaming(request.stream());
      }

      @Override
      public ChatCompletionRequest admit(ChatCompletionRequest request, CallContext call) {
        return chat.admitBatched(request, call);
      }
    };
  }

  Kind<CreateResponseRequest, ModelResponse> responses() {
    return new Kind<>() {
      @Override
      public String endpoint() {
        return RESPONSES;
      }

      @Override
      public CallKind<CreateResponseRequest, ModelResponse> kind() {
        return responses;
      }

      @Override
      public Class<CreateResponseRequest> requestType() {
        return CreateResponseRequest.class;
      }

      @Override
      public Class<ModelResponse> answerType() {
        return ModelResponse.class;
      }

      @Override
      public String model(CreateResponseRequest request) {
        return request.model();
      }

      @Override
      public void validate(CreateResponseRequest request) {
        notAliased(request == null ? null : request.model());
        validation.deferredResponse(request);
      }

      @Override
      public CreateResponseRequest admit(CreateResponseRequest request, CallContext call) {
        return admission.admitBatched(request, call);
      }
    };
  }

  Kind<EmbeddingRequest, EmbeddingResponse> embeddings() {
    return new Kind<>() {
      @Override
      public String endpoint() {
        return EMBEDDINGS;
      }

      @Override
      public CallKind<EmbeddingRequest, EmbeddingResponse> kind() {
        return embeddings;
      }

      @Override
      public Class<EmbeddingRequest> requestType() {
        return EmbeddingRequest.class;
      }

      @Override
      public Class<EmbeddingResponse> answerType() {
        return EmbeddingResponse.class;
      }

      @Override
      public String model(EmbeddingRequest request) {
        return request.model();
      }

      @Override
      public void validate(EmbeddingRequest request) {
        validation.embeddings(request);
      }

      @Override
      public EmbeddingRequest admit(EmbeddingRequest request, CallContext call) {
        admission.admitBatched(request, call);
        return request;
      }
    };
  }

  /** A route alias picks its model by the answers, which a deferred call does not wait for. */
  private static void notAliased(String model) {
    if (ModelRouter.isAlias(model)) {
      throw new BadRequestException(
          new ErrorInfo(
              400,
              "a route alias cannot be deferred: routing escalates on the answer",
              "invalid_request_error",
              null,
              "model",
              null,
              null),
          null);
    }
  }

  /** The kind whose endpoint is {@code endpoint} (rows without one are chat completions). */
  Optional<Kind<?, ?>> byEndpoint(String endpoint) {
    for (Kind<?, ?> k : List.of(chat(), responses(), embeddings())) {
      if (k.endpoint().equals(endpoint == null ? CHAT : endpoint)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
