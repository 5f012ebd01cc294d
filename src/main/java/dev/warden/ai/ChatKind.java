package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.Verdict;
import dev.warden.cost.Admission;
import dev.warden.guard.InjectionScreener;
import dev.warden.guard.OutputValidator;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ModelTexts;
import dev.warden.openai.model.StreamOptions;
import dev.warden.openai.stream.ChatStreamAccumulator;
import dev.warden.openai.stream.StreamResult;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Redacted;
import dev.warden.pii.Rehydrator;
import dev.warden.pii.RequestRedactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Chat completions, plain, streamed and deferred, for the pipeline's stages. */
@ApplicationScoped
public class ChatKind implements CallKind.Streamed<ChatCompletionRequest, ChatCompletion> {

  static final String OPERATION = "chat.completions";

  private final ResilientOpenAi client;
  private final Admission admission;
  private final RequestRedactor redactor;
  private final OutputValidator outputs;

  @Inject
  ChatKind(
      ResilientOpenAi client,
      Admission admission,
      RequestRedactor redactor,
      OutputValidator outputs) {
    this.client = client;
    this.admission = admission;
    this.redactor = redactor;
    this.outputs = outputs;
  }

  /** For CDI's client proxy. */
  protected ChatKind() {
    this(null, null, null, null);
  }

  @Override
  public String operation() {
    return OPERATION;
  }

  @Override
  public ChatCompletionRequest admit(ChatCompletionRequest request, CallContext call) {
    return admission.admit(request, call);
  }

  /** Admission of a deferred call: the worst case reserved, and settled, at the batch price. */
  ChatCompletionRequest admitBatched(ChatCompletionRequest request, CallContext call) {
    return admission.admitBatched(request, call);
  }

  @Override
  public List<ModelTexts.Opaque> opaque(ChatCompletionRequest request) {
    return ModelTexts.opaque(request);
  }

  @Override
  public String contentParam() {
    return "messages";
  }

  @Override
  public Redacted<ChatCompletionRequest> redact(
      ChatCompletionRequest request, String tenant, PlaceholderVault vault) {
    return redactor.redact(request, tenant, vault);
  }

  @Override
  public Verdict screen(InjectionScreener screener, ChatCompletionRequest request) {
    return screener.screen(request);
  }

  @Override
  public String subject(ChatCompletionRequest request) {
    return subjectOf(request.safetyIdentifier(), request.user());
  }

  @Override
  public ChatCompletion call(ChatCompletionRequest safe, CallContext call) {
    return client.chat(safe, call);
  }

  @Override
  public ChatCompletion restore(ChatCompletion answer, PlaceholderVault vault) {
    return new Rehydrator(vault).rehydrate(answer);
  }

  @Override
  public void check(ChatCompletionRequest request, ChatCompletion restored) {
    outputs.check(request, restored);
  }

  /** The first choice's output bound to {@code type} against the request's JSON schema. */
  <T> T bind(ChatCompletionRequest request, ChatCompletion restored, Class<T> type) {
    return outputs.bind(restored.firstText(), request.responseFormat().jsonSchema().schema(), type);
  }

  @Override
  public TokenUsage usage(ChatCompletion answer) {
    return TokenUsage.of(answer.usage());
  }

  /**
   * Warden always asks the upstream for usage; the caller sees the usage chunk only if it asked
   * ({@link #open}).
   */
  @Override
  public ChatCompletionRequest streaming(ChatCompletionRequest request) {
    StreamOptions options =
        new StreamOptions(
            true,
            request.streamOptions() == null ? null : request.streamOptions().includeObfuscation());
    return request.toBuilder().stream(true).streamOptions(options).build();
  }

  @Override
  public OpenStream open(
      ChatCompletionRequest request,
      ChatCompletionRequest safe,
      PlaceholderVault vault,
      CallContext call) {
    boolean callerWantsUsage =
        request.streamOptions() != null
            && Boolean.TRUE.equals(request.streamOptions().includeUsage());
    return client.openChatStream(
        safe,
        () ->
            RehydratingAccumulator.chat(
                new ChatStreamAccumulator(callerWantsUsage, call.upstreamRequestId()), vault),
        call);
  }

  @Override
  public void check(ChatCompletionRequest request, StreamResult result) {
    outputs.check(request, result);
  }

  /**
   * The data subject a request names: its {@code safety_identifier}, else its {@code user}; {@code
   * null} when blank.
   */
  public static String subjectOf(String safetyIdentifier, String user) {
    if (safetyIdentifier != null && !safetyIdentifier.isBlank()) {
      return safetyIdentifier;
    }
    return user == null || user.isBlank() ? null : user;
  }
}
