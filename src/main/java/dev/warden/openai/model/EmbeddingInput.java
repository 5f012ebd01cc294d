package dev.warden.openai.model;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.annotation.JsonbTypeSerializer;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;

/**
 * The embeddings {@code input}: a string, an array of strings, an array of token ids, or an array
 * of token-id arrays. The JSON value is kept as read and written back unchanged. Immutable.
 */
@JsonbTypeSerializer(EmbeddingInput.Serializer.class)
@JsonbTypeDeserializer(EmbeddingInput.Deserializer.class)
public final class EmbeddingInput {

  private final JsonValue json;

  private EmbeddingInput(JsonValue json) {
    this.json = json;
  }

  /** One text, written as a JSON string. */
  public static EmbeddingInput of(String text) {
    return new EmbeddingInput(Json.createValue(Objects.requireNonNull(text, "text")));
  }

  /** Several texts, written as an array of strings. */
  public static EmbeddingInput of(List<String> texts) {
    return new EmbeddingInput(Json.createArrayBuilder(texts).build());
  }

  /** One pre-tokenized text, written as an array of token ids. */
  public static EmbeddingInput ofTokens(int... tokens) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (int token : tokens) {
      array.add(token);
    }
    return new EmbeddingInput(array.build());
  }

  /** Several pre-tokenized texts, written as an array of token-id arrays. */
  public static EmbeddingInput ofTokenArrays(List<int[]> tokenArrays) {
    JsonArrayBuilder outer = Json.createArrayBuilder();
    for (int[] tokens : tokenArrays) {
      outer.add(ofTokens(tokens).json);
    }
    return new EmbeddingInput(outer.build());
  }

  /** Any string or array, kept as is. */
  public static EmbeddingInput of(JsonValue json) {
    Objects.requireNonNull(json, "json");
    if (json.getValueType() != JsonValue.ValueType.STRING
        && json.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new IllegalArgumentException("input must be a string or an array, got " + json);
    }
    return new EmbeddingInput(json);
  }

  /** The JSON value as it is sent. */
  public JsonValue json() {
    return json;
  }

  /** Whether the input is a single string. */
  public boolean isString() {
    return json.getValueType() == JsonValue.ValueType.STRING;
  }

  /** Whether the input is given as token ids (flat or nested) rather than text. */
  public boolean isTokens() {
    if (isString()) {
      return false;
    }
    JsonArray array = json.asJsonArray();
    return !array.isEmpty() && !(array.get(0) instanceof JsonString);
  }

  /**
   * The texts: one for a string, all of them for an array of strings, or {@code null} when the
   * input is token ids.
   */
  public List<String> texts() {
    if (isString()) {
      return List.of(((JsonString) json).getString());
    }
    if (isTokens()) {
      return null;
    }
    return json.asJsonArray().getValuesAs(JsonString::getString);
  }

  /** How many inputs are embedded (one per returned embedding). */
  public int count() {
    if (isString()) {
      return 1;
    }
    JsonArray array = json.asJsonArray();
    boolean flatTokens = !array.isEmpty() && array.get(0) instanceof JsonNumber;
    return flatTokens ? 1 : array.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbeddingInput && json.equals(((EmbeddingInput) o).json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return "EmbeddingInput[" + json + "]";
  }

  /** Writes the JSON value unchanged. */
  public static final class Serializer implements JsonbSerializer<EmbeddingInput> {
    @Override
    public void serialize(EmbeddingInput input, JsonGenerator generator, SerializationContext ctx) {
      generator.write(input.json);
    }
  }

  /** Reads a string or an array; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer implements JsonbDeserializer<EmbeddingInput> {
    @Override
    public EmbeddingInput deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
      JsonValue value = parser.getValue();
      if (value.getValueType() == JsonValue.ValueType.NULL) {
        return null;
      }
      if (value.getValueType() != JsonValue.ValueType.STRING
          && value.getValueType() != JsonValue.ValueType.ARRAY) {
        throw new JsonbException("input must be a string or an array, got " + value);
      }
      return new EmbeddingInput(value);
    }
  }
}
