package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.Verdict;
import dev.warden.guard.InjectionScreener;
import dev.warden.openai.model.ModelTexts;
import dev.warden.openai.stream.StreamResult;
import dev.warden.openai.stream.TokenUsage;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Redacted;
import java.util.List;

/**
 * What the pipeline's stages need to know about one kind of model call (chat completions,
 * responses, embeddings), in its own request and answer types: {@link Pipeline} runs the stages
 * once for every kind, and asks the kind only what differs.
 *
 * @param <Req> the request record
 * @param <Ans> the answer record
 */
interface CallKind<Req, Ans> {

  /** The operation's name in audit records and traces ({@code chat.completions}, ...). */
  String operation();

  /**
   * The vault the call's placeholders go into: a new one, or the one of the conversation it
   * continues. Refuses a continued object the caller does not own.
   */
  default PlaceholderVault vault(Req request, CallContext call) {
    return new PlaceholderVault();
  }

  /** Admission: context window, rate limits, budget reservation (onto {@code call}). */
  Req admit(Req request, CallContext call);

  /**
   * The parts of {@code request} whose content Warden cannot inspect (images, audio, files: {@link
   * ModelTexts#opaque}); none by default.
   */
  default List<ModelTexts.Opaque> opaque(Req request) {
    return List.of();
  }

  /** The request parameter that holds the content parts ({@code messages}, {@code input}). */
  default String contentParam() {
    return "input";
  }

  /** A redacted copy of {@code request}, placeholders recorded in {@code vault}. */
  Redacted<Req> redact(Req request, String tenant, PlaceholderVault vault);

  /**
   * The prompt-injection verdict on the user content and tool results of {@code request}, {@code
   * null} when the kind has nothing to screen.
   */
  Verdict screen(InjectionScreener screener, Req request);

  /** The data subject the caller named ({@code safety_identifier}, else {@code user}). */
  String subject(Req request);

  /** The upstream call, with timeouts, retries and fallback. */
  Ans call(Req safe, CallContext call);

  /**
   * What the kind keeps once the upstream has answered and before the answer is restored (a stored
   * response's vault and owner, a background response's reservation).
   */
  default void answered(
      Req request, Req safe, Ans answer, PlaceholderVault vault, CallContext call) {}

  /** The answer with the placeholders of {@code vault} restored to their values. */
  Ans restore(Ans answer, PlaceholderVault vault);

  /** Output validation; throws when the answer must be withheld. */
  void check(Req request, Ans restored);

  /**
   * The restore and output validation stages: the answer as the caller gets it, placeholders of
   * {@code vault} restored; throws when it must be withheld.
   */
  default Ans restoreAndCheck(Req request, Ans answer, PlaceholderVault vault) {
    Ans restored = vault.isEmpty() ? answer : restore(answer, vault);
    check(request, restored);
    return restored;
  }

  /** The tokens the answer reports. */
  TokenUsage usage(Ans answer);

  /** Whether the audit record keeps the upstream's answer (not the vectors of embeddings). */
  default boolean recordsAnswer() {
    return true;
  }

  /** An operation that can also stream (chat completions, responses). */
  interface Streamed<Req, Ans> extends CallKind<Req, Ans> {

    /** The request to admit and send for a stream ({@code stream: true}, usage asked for). */
    Req streaming(Req request);

    /**
     * Opens the upstream stream with {@code safe} and reads its first event; the accumulator
     * restores the placeholders of {@code vault} as events arrive.
     */
    OpenStream open(Req request, Req safe, PlaceholderVault vault, CallContext call);

    /** Output validation of the assembled stream. */
    void check(Req request, StreamResult result);

    /** What the kind keeps once a stream has ended successfully (a stored response's vault). */
    default void streamed(
        Req request, StreamResult upstream, PlaceholderVault vault, CallContext call) {}
  }
}
