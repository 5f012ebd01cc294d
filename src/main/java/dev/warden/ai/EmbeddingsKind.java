package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.Verdict;
import dev.warden.cost.Admission;
import dev.warden.guard.InjectionScreener;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Redacted;
import dev.warden.pii.RequestRedactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Embeddings for the pipeline's stages: the input is redacted (the vectors of placeholders are what
 * the caller gets, nothing to restore) and not screened; the vectors are not kept in the audit
 * record, only their usage.
 */
@ApplicationScoped
public class EmbeddingsKind implements CallKind<EmbeddingRequest, EmbeddingResponse> {

  private final ResilientOpenAi client;
  private final Admission admission;
  private final RequestRedactor redactor;

  @Inject
  EmbeddingsKind(ResilientOpenAi client, Admission admission, RequestRedactor redactor) {
    this.client = client;
    this.admission = admission;
    this.redactor = redactor;
  }

  /** For CDI's client proxy. */
  protected EmbeddingsKind() {
    this(null, null, null);
  }

  @Override
  public String operation() {
    return "embeddings";
  }

  @Override
  public EmbeddingRequest admit(EmbeddingRequest request, CallContext call) {
    admission.admit(request, call);
    return request;
  }

  @Override
  public Redacted<EmbeddingRequest> redact(
      EmbeddingRequest request, String tenant, PlaceholderVault vault) {
    return redactor.redact(request, tenant, vault);
  }

  @Override
  public Verdict screen(InjectionScreener screener, EmbeddingRequest request) {
    return null;
  }

  @Override
  public String subject(EmbeddingRequest request) {
    return request.user();
  }

  @Override
  public EmbeddingResponse call(EmbeddingRequest safe, CallContext call) {
    return client.embeddings(safe, call);
  }

  @Override
  public EmbeddingResponse restore(EmbeddingResponse answer, PlaceholderVault vault) {
    return answer;
  }

  @Override
  public void check(EmbeddingRequest request, EmbeddingResponse restored) {}

  @Override
  public TokenUsage usage(EmbeddingResponse answer) {
    if (answer.usage() == null) {
      return TokenUsage.NONE;
    }
    Integer prompt = answer.usage().promptTokens();
    return new TokenUsage(prompt == null ? 0 : prompt, 0, 0, 0);
  }

  @Override
  public boolean recordsAnswer() {
    return false;
  }
}
