package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.Caller;
import dev.warden.call.Ownership;
import dev.warden.call.Verdict;
import dev.warden.cost.Admission;
import dev.warden.cost.BackgroundCharges;
import dev.warden.cost.Reservation;
import dev.warden.guard.InjectionScreener;
import dev.warden.guard.OutputValidator;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ModelTexts;
import dev.warden.openai.stream.ResponsesStreamAccumulator;
import dev.warden.openai.stream.StreamResult;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.ConversationVaults;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Redacted;
import dev.warden.pii.Rehydrator;
import dev.warden.pii.RequestRedactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Responses API calls, plain and streamed, for the pipeline's stages. A response that continues
 * another ({@code previous_response_id}) reuses its vault, so {@code <EMAIL_1>} is the same address
 * as in the earlier turns; a stored response keeps its vault and owner for the turns that continue
 * it and for reading it back.
 */
@ApplicationScoped
public class ResponsesKind implements CallKind.Streamed<CreateResponseRequest, ModelResponse> {

  private final ResilientOpenAi client;
  private final Admission admission;
  private final RequestRedactor redactor;
  private final OutputValidator outputs;
  private final ConversationVaults vaults;
  private final Ownership ownership;
  private final BackgroundCharges background;

  @Inject
  ResponsesKind(
      ResilientOpenAi client,
      Admission admission,
      RequestRedactor redactor,
      OutputValidator outputs,
      ConversationVaults vaults,
      Ownership ownership,
      BackgroundCharges background) {
    this.client = client;
    this.admission = admission;
    this.redactor = redactor;
    this.outputs = outputs;
    this.vaults = vaults;
    this.ownership = ownership;
    this.background = background;
  }

  /** For CDI's client proxy. */
  protected ResponsesKind() {
    this(null, null, null, null, null, null, null);
  }

  @Override
  public String operation() {
    return "responses.create";
  }

  /**
   * The vault stored with the request's {@code previous_response_id} or {@code conversation} (which
   * the caller must own), or a new one.
   */
  @Override
  public PlaceholderVault vault(CreateResponseRequest request, CallContext call) {
    String previous = request.previousResponseId();
    StoredObjects.mine(ownership, call, StoredObjects.RESPONSE, previous, "previous_response_id");
    String conversation = ConversationObjects.idOf(request.conversation());
    StoredObjects.mine(
        ownership, call, ConversationObjects.CONVERSATION, conversation, "conversation");
    if (conversation != null && (previous == null || previous.isBlank())) {
      return vaults.forConversation(conversation).orElseGet(PlaceholderVault::new);
    }
    if (previous == null || previous.isBlank()) {
      return new PlaceholderVault();
    }
    return vaults.forResponse(previous).orElseGet(PlaceholderVault::new);
  }

  @Override
  public CreateResponseRequest admit(CreateResponseRequest request, CallContext call) {
    return admission.admit(request, call);
  }

  @Override
  public List<ModelTexts.Opaque> opaque(CreateResponseRequest request) {
    return ModelTexts.opaque(request);
  }

  @Override
  public Redacted<CreateResponseRequest> redact(
      CreateResponseRequest request, String tenant, PlaceholderVault vault) {
    return redactor.redact(request, tenant, vault);
  }

  @Override
  public Verdict screen(InjectionScreener screener, CreateResponseRequest request) {
    return screener.screen(request);
  }

  @Override
  public String subject(CreateResponseRequest request) {
    return ChatKind.subjectOf(request.safetyIdentifier(), request.user());
  }

  @Override
  public ModelResponse call(CreateResponseRequest safe, CallContext call) {
    return client.createResponse(safe, call);
  }

  /**
   * A background response that has not ended keeps the call's reservation until it does ({@link
   * BackgroundCharges}; the call itself then reports no cost); a stored response keeps its vault.
   */
  @Override
  public void answered(
      CreateResponseRequest request,
      CreateResponseRequest safe,
      ModelResponse answer,
      PlaceholderVault vault,
      CallContext call) {
    if (Boolean.TRUE.equals(safe.background())
        && answer.id() != null
        && !BackgroundCharges.ENDED.contains(answer.status())) {
      Reservation reservation = call.reservation(Reservation.class);
      if (reservation != null) {
        reservation.detach().ifPresent(held -> background.hold(answer.id(), call, held));
      }
    }
    remember(request, answer, vault, call.caller());
  }

  @Override
  public ModelResponse restore(ModelResponse answer, PlaceholderVault vault) {
    return new Rehydrator(vault).rehydrate(answer);
  }

  @Override
  public void check(CreateResponseRequest request, ModelResponse restored) {
    outputs.check(request, restored);
  }

  @Override
  public TokenUsage usage(ModelResponse answer) {
    return TokenUsage.of(answer.usage());
  }

  @Override
  public CreateResponseRequest streaming(CreateResponseRequest request) {
    return request.toBuilder().stream(true).build();
  }

  @Override
  public OpenStream open(
      CreateResponseRequest request,
      CreateResponseRequest safe,
      PlaceholderVault vault,
      CallContext call) {
    return client.openResponseStream(
        safe,
        () ->
            RehydratingAccumulator.responses(
                new ResponsesStreamAccumulator(call.upstreamRequestId()), vault),
        call);
  }

  @Override
  public void check(CreateResponseRequest request, StreamResult result) {
    outputs.check(request, result);
  }

  @Override
  public void streamed(
      CreateResponseRequest request,
      StreamResult upstream,
      PlaceholderVault vault,
      CallContext call) {
    if (upstream.body() instanceof ModelResponse answer) {
      remember(request, answer, vault, call.caller());
    }
  }

  /**
   * Stores the vault of a response the upstream keeps ({@code store} is on by default), for the
   * turns that continue it and for reading it back; a response in a conversation adds its input and
   * output items to it, so the conversation's vault keeps this turn's placeholders too.
   */
  private void remember(
      CreateResponseRequest request, ModelResponse answer, PlaceholderVault vault, Caller caller) {
    if (!Boolean.FALSE.equals(request.store()) && answer.id() != null) {
      vaults.saveForResponse(answer.id(), vault);
      ownership.own(StoredObjects.RESPONSE, answer.id(), caller);
    }
    String conversation = ConversationObjects.idOf(request.conversation());
    if (conversation != null) {
      vaults.saveForConversation(conversation, vault);
    }
  }
}
