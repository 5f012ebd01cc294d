package dev.warden.pii;

import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ModelTexts;
import dev.warden.openai.model.ResponseItemList;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Restores the placeholders of one {@link PlaceholderVault} in answers, for the caller. Unknown
 * placeholders, hash tokens and masks stay as they are. Thread-safe.
 *
 * <p>{@link ChatCompletion} and {@link ModelResponse}: every text {@link ModelTexts} walks (message
 * text and refusals, tool-call arguments, whose restored values are JSON-escaped, custom tool
 * inputs, tool outputs, string instructions). Everything else is unchanged.
 */
public final class Rehydrator {

  private final PlaceholderVault vault;

  /** A rehydrator over {@code vault}. */
  public Rehydrator(PlaceholderVault vault) {
    this.vault = Objects.requireNonNull(vault, "vault");
  }

  /** {@code text} with its placeholders restored ({@code null} stays {@code null}). */
  public String text(String text) {
    return restore(text, false);
  }

  /**
   * A JSON text (tool-call arguments) with its placeholders restored and the restored values
   * JSON-escaped, so that the text stays valid JSON.
   */
  public String json(String json) {
    return restore(json, true);
  }

  private String restore(String text, boolean json) {
    if (text == null || text.indexOf('<') < 0 || vault.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    Placeholders.restore(text, 0, text.length(), vault, json, false, out);
    return out.toString();
  }

  /**
   * A response's input items with their placeholders restored (through their JSON form: every
   * string of every item, whatever its type).
   */
  public ResponseItemList rehydrate(ResponseItemList items) {
    if (items == null || vault.isEmpty()) {
      return items;
    }
    String json = SharedJsonb.JSONB.toJson(items);
    String restored = json(json);
    return restored.equals(json)
        ? items
        : SharedJsonb.JSONB.fromJson(restored, ResponseItemList.class);
  }

  /**
   * A UTF-8 JSON or JSONL file (batch results) with its placeholders restored, the values
   * JSON-escaped.
   */
  public byte[] rehydrateJson(byte[] utf8) {
    if (utf8 == null || vault.isEmpty()) {
      return utf8;
    }
    String text = new String(utf8, StandardCharsets.UTF_8);
    String restored = json(text);
    return restored.equals(text) ? utf8 : restored.getBytes(StandardCharsets.UTF_8);
  }

  /** A streaming rehydrator for text deltas. */
  public StreamingRehydrator streamingText() {
    return StreamingRehydrator.text(vault);
  }

  /** A streaming rehydrator for tool-call argument deltas (JSON text). */
  public StreamingRehydrator streamingJson() {
    return StreamingRehydrator.jsonString(vault);
  }

  /** A copy of {@code completion} with placeholders restored in its texts ({@link ModelTexts}). */
  public ChatCompletion rehydrate(ChatCompletion completion) {
    return ModelTexts.map(completion, this::restore);
  }

  /** A copy of {@code response} with placeholders restored in its texts ({@link ModelTexts}). */
  public ModelResponse rehydrate(ModelResponse response) {
    return ModelTexts.map(response, this::restore);
  }

  private String restore(String text, ModelTexts.Place place) {
    return restore(text, place.json());
  }

  @Override
  public String toString() {
    return "Rehydrator[" + vault + "]";
  }
}
