package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.Verdict;
import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.PromptInjectionRefusal;
import dev.warden.call.refusal.UninspectableContentRefusal;
import dev.warden.config.ConfigProducer;
import dev.warden.guard.InjectionScreener;
import dev.warden.pii.InputPolicy;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Redacted;
import dev.warden.pii.RequestRedactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The redact and screen stages, for every kind of call: content Warden cannot inspect (images,
 * audio, files) is refused unless the tenant's {@link InputPolicy} allows it ({@code
 * uninspectable_content}; what passes is recorded with the call); PII in the request becomes
 * placeholders recorded in the call's {@link PlaceholderVault} (a blocked type refuses the request,
 * {@code pii_blocked}; a failure of redaction too, {@code redaction_failed}: redaction fails
 * closed), then the user's content and tool results are screened for prompt injection (a {@code
 * BLOCK} verdict refuses the request, {@code prompt_injection_detected}; a {@code FLAG} is
 * recorded).
 */
@ApplicationScoped
public class Protection {

  private final InjectionScreener screener;
  private final InputPolicy inputs;

  @Inject
  Protection(InjectionScreener screener, RequestRedactor redactor) {
    this(
        screener,
        InputPolicy.from(ConfigProducer.settings(), redactor.engine().policy().enabled()));
  }

  /** Outside CDI (tests): every uninspectable part refused. */
  Protection(InjectionScreener screener) {
    this(screener, InputPolicy.refuseAll());
  }

  Protection(InjectionScreener screener, InputPolicy inputs) {
    this.screener = screener;
    this.inputs = inputs;
  }

  /** For CDI's client proxy. */
  protected Protection() {
    this.screener = null;
    this.inputs = null;
  }

  /**
   * Redacts {@code request} into {@code vault} and screens it, recording both in {@code call} and
   * the request to send in {@code traffic}; returns the request to send upstream.
   */
  <Req> Req protect(
      CallKind<Req, ?> kind,
      Req request,
      PlaceholderVault vault,
      Traffic<Req, ?> traffic,
      CallContext call) {
    inspectable(kind, request, call);
    Req safe = redact(() -> kind.redact(request, call.caller().tenant(), vault), call);
    screened(kind.screen(screener, request), call);
    traffic.sent(safe);
    call.subject(kind.subject(request));
    return safe;
  }

  /**
   * Runs one redaction and records what it found; fails closed: a blocked entity type refuses the
   * request ({@code pii_blocked}), any failure of the redaction itself too ({@code
   * redaction_failed}, which the redactor throws itself).
   */
  static <T> T redact(Supplier<Redacted<T>> redaction, CallContext call) {
    Redacted<T> redacted;
    try {
      redacted = redaction.get();
    } catch (PiiBlockedRefusal e) {
      call.redacted(Map.of(e.entityType(), 1));
      throw e;
    }
    call.redacted(redacted.counts());
    return redacted.value();
  }

  /**
   * Refuses content Warden cannot inspect that the caller's tenant may not send, recording the
   * refused parts; else records what passes uninspected.
   */
  private <Req> void inspectable(CallKind<Req, ?> kind, Req request, CallContext call) {
    try {
      call.uninspected(
          inputs.check(call.caller().tenant(), kind.opaque(request), kind.contentParam()));
    } catch (UninspectableContentRefusal e) {
      call.uninspected(e.refused());
      throw e;
    }
  }

  /** Records the verdict, if any, and refuses the request when it is blocked. */
  private static void screened(Verdict verdict, CallContext call) {
    if (verdict == null) {
      return;
    }
    call.screened(verdict);
    if (verdict.blocked()) {
      throw new PromptInjectionRefusal();
    }
  }
}
