package dev.warden.pii;

import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.RedactionFailedRefusal;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.ModelTexts;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Redacts everything the model sees in a request and returns a redacted copy plus per-type counts.
 * Immutable and thread-safe; the {@link PlaceholderVault} carries the per-request (or
 * per-conversation) state.
 *
 * <p>What is redacted is every text {@link ModelTexts} walks: message content, refusals, tool-call
 * arguments (as JSON: values inside strings are redacted and re-escaped), custom tool inputs, tool
 * outputs, instructions, embeddings input, and the {@code user}, {@code safety_identifier} and
 * {@code metadata} values. So {@code tool} messages' results too. Nothing else changes (model,
 * tools, metadata keys, participant names; images, audio and files cannot be read: see {@link
 * InputPolicy}).
 *
 * <p>Fails closed: {@link PiiBlockedRefusal} when a blocked type is present, {@link
 * RedactionFailedRefusal} for any other failure. Neither carries a value.
 */
public final class RequestRedactor {

  private final PiiEngine engine;

  /** A redactor applying {@code engine}. */
  public RequestRedactor(PiiEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** The engine this redactor applies. */
  public PiiEngine engine() {
    return engine;
  }

  /**
   * A redacted copy of a Chat Completions request, for {@code tenant} (nullable).
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal on any other failure
   */
  public Redacted<ChatCompletionRequest> redact(
      ChatCompletionRequest request, String tenant, PlaceholderVault vault) {
    return redact(request, ModelTexts::map, tenant, vault);
  }

  /**
   * A redacted copy of a Responses request, for {@code tenant} (nullable).
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal on any other failure
   */
  public Redacted<CreateResponseRequest> redact(
      CreateResponseRequest request, String tenant, PlaceholderVault vault) {
    return redact(request, ModelTexts::map, tenant, vault);
  }

  /**
   * A redacted copy of an embeddings request: each input text is redacted (with the placeholders of
   * {@code vault}, so equal values embed equally). Input given as token ids is returned unchanged:
   * it cannot be read here, and the pipeline refuses it while redaction is on.
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal on any other failure
   */
  public Redacted<EmbeddingRequest> redact(
      EmbeddingRequest request, String tenant, PlaceholderVault vault) {
    return redact(request, ModelTexts::map, tenant, vault);
  }

  /**
   * A redacted copy of a JSONL file (a batch input file): strict UTF-8, every JSON string value
   * redacted, numbers holding sensitive values turned into strings, line structure kept.
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal when the bytes are not UTF-8, or on any other failure
   */
  public Redacted<byte[]> redactJsonl(byte[] utf8, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    String text = decode(utf8);
    String red = engine.redactJson(text, tenant, vault, counts);
    return new Redacted<>(
        red.equals(text) ? utf8.clone() : red.getBytes(StandardCharsets.UTF_8), counts.snapshot());
  }

  /**
   * A redacted copy of a UTF-8 text file (prose, CSV, ...).
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal when the bytes are not UTF-8, or on any other failure
   */
  public Redacted<byte[]> redactText(byte[] utf8, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    String text = decode(utf8);
    String red = engine.redact(text, tenant, vault, counts);
    return new Redacted<>(
        red.equals(text) ? utf8.clone() : red.getBytes(StandardCharsets.UTF_8), counts.snapshot());
  }

  private static String decode(byte[] utf8) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RedactionFailedRefusal("The file is not valid UTF-8");
    }
  }

  /**
   * {@code request} with each of its texts ({@link ModelTexts}) redacted with {@code vault}; JSON
   * texts stay valid JSON.
   */
  private <T> Redacted<T> redact(
      T request,
      BiFunction<T, ModelTexts.TextFunction, T> texts,
      String tenant,
      PlaceholderVault vault) {
    Counts counts = new Counts();
    try {
      Objects.requireNonNull(vault, "vault");
      T redacted =
          texts.apply(
              request,
              (text, place) ->
                  place.json()
                      ? engine.redactJson(text, tenant, vault, counts)
                      : engine.redact(text, tenant, vault, counts));
      return new Redacted<>(redacted, counts.snapshot());
    } catch (PiiBlockedRefusal | RedactionFailedRefusal e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new RedactionFailedRefusal("Request redaction failed", e);
    }
  }
}
