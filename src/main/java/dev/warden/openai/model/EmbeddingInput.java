package dev.warden.openai.model;

import dev.warden.config.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.annotation.JsonbTypeSerializer;
import java.util.List;
import java.util.Objects;

/**
 * The embeddings {@code input}: a string, an array of strings, an array of token ids, or an array
 * of token-id arrays. The JSON value is kept as read and written back unchanged. Immutable.
 */
@JsonbTypeSerializer(StringOr.Serializer.class)
@JsonbTypeDeserializer(EmbeddingInput.Deserializer.class)
public final class EmbeddingInput extends StringOr<JsonArray> {

  private EmbeddingInput(String string, JsonArray array) {
    super(string, array);
  }

  /** One text, written as a JSON string. */
  public static EmbeddingInput of(String text) {
    return new EmbeddingInput(Objects.requireNonNull(text, "text"), null);
  }

  /** Several texts, written as an array of strings. */
  public static EmbeddingInput of(List<String> texts) {
    return new EmbeddingInput(null, Jsonp.createArrayBuilder(texts).build());
  }

  /** One pre-tokenized text, written as an array of token ids. */
  public static EmbeddingInput ofTokens(int... tokens) {
    return new EmbeddingInput(null, tokenArray(tokens));
  }

  /** Several pre-tokenized texts, written as an array of token-id arrays. */
  public static EmbeddingInput ofTokenArrays(List<int[]> tokenArrays) {
    JsonArrayBuilder outer = Jsonp.createArrayBuilder();
    for (int[] tokens : tokenArrays) {
      outer.add(tokenArray(tokens));
    }
    return new EmbeddingInput(null, outer.build());
  }

  private static JsonArray tokenArray(int... tokens) {
    JsonArrayBuilder array = Jsonp.createArrayBuilder();
    for (int token : tokens) {
      array.add(token);
    }
    return array.build();
  }

  /** Any string or array, kept as is. */
  public static EmbeddingInput of(JsonValue json) {
    Objects.requireNonNull(json, "json");
    if (json.getValueType() == JsonValue.ValueType.STRING) {
      return of(((JsonString) json).getString());
    }
    if (json.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new IllegalArgumentException("input must be a string or an array, got " + json);
    }
    return new EmbeddingInput(null, json.asJsonArray());
  }

  /** The JSON value as it is sent. */
  public JsonValue json() {
    return isString() ? Jsonp.createValue(stringForm()) : otherForm();
  }

  /** Whether the input is given as token ids (flat or nested) rather than text. */
  public boolean isTokens() {
    if (isString()) {
      return false;
    }
    JsonArray array = otherForm();
    return !array.isEmpty() && !(array.get(0) instanceof JsonString);
  }

  /**
   * The texts: one for a string, all of them for an array of strings, or {@code null} when the
   * input is token ids.
   */
  public List<String> texts() {
    if (isString()) {
      return List.of(stringForm());
    }
    if (isTokens()) {
      return null;
    }
    return otherForm().getValuesAs(JsonString::getString);
  }

  /** How many inputs are embedded (one per returned embedding). */
  public int count() {
    if (isString()) {
      return 1;
    }
    JsonArray array = otherForm();
    boolean flatTokens = !array.isEmpty() && array.get(0) instanceof JsonNumber;
    return flatTokens ? 1 : array.size();
  }

  /** Reads a string or an array; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer extends StringOr.Deserializer<EmbeddingInput> {
    public Deserializer() {
      super(
          "input",
          JsonValue.ValueType.ARRAY,
          EmbeddingInput::of,
          (json, ctx) -> new EmbeddingInput(null, json.asJsonArray()));
    }
  }
}
