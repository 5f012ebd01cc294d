package dev.warden.openai.model;

import dev.warden.config.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Objects;

/**
 * An embedding as returned: an array of floats ({@code encoding_format: "float"}) or a base64
 * string of little-endian float32s ({@code encoding_format: "base64"}, the default of the official
 * Node SDK). The raw JSON value passes through untouched; {@link #vector()} decodes either form.
 * Immutable.
 */
@JsonbTypeSerializer(EmbeddingVector.Serializer.class)
@JsonbTypeDeserializer(EmbeddingVector.Deserializer.class)
public final class EmbeddingVector {

  private final JsonValue json;

  private EmbeddingVector(JsonValue json) {
    this.json = json;
  }

  /** The float form. */
  public static EmbeddingVector of(float[] vector) {
    JsonArrayBuilder array = Jsonp.createArrayBuilder();
    for (float value : vector) {
      array.add((double) value);
    }
    return new EmbeddingVector(array.build());
  }

  /** The base64 form, kept verbatim. */
  public static EmbeddingVector ofBase64(String base64) {
    return new EmbeddingVector(Jsonp.createValue(Objects.requireNonNull(base64, "base64")));
  }

  /** The JSON value exactly as received. */
  public JsonValue json() {
    return json;
  }

  /** Whether the embedding is the base64 string form. */
  public boolean isBase64() {
    return json.getValueType() == JsonValue.ValueType.STRING;
  }

  /** The base64 string, or {@code null} for the float form. */
  public String base64() {
    return isBase64() ? ((JsonString) json).getString() : null;
  }

  /** The number of dimensions. */
  public int dimensions() {
    return isBase64() ? decodeBase64().length : json.asJsonArray().size();
  }

  /** The vector, decoded from either form; a new array on every call. */
  public float[] vector() {
    if (isBase64()) {
      return decodeBase64();
    }
    JsonArray array = json.asJsonArray();
    float[] vector = new float[array.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) array.getJsonNumber(i).doubleValue();
    }
    return vector;
  }

  private float[] decodeBase64() {
    byte[] bytes = Base64.getDecoder().decode(base64());
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalStateException(
          "A base64 embedding must hold whole float32s, got " + bytes.length + " bytes");
    }
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbeddingVector && json.equals(((EmbeddingVector) o).json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return isBase64()
        ? "EmbeddingVector[base64, " + base64().length() + " chars]"
        : "EmbeddingVector[" + json.asJsonArray().size() + " floats]";
  }

  /** Writes the JSON value unchanged. */
  public static final class Serializer implements JsonbSerializer<EmbeddingVector> {
    @Override
    public void serialize(
        EmbeddingVector vector, JsonGenerator generator, SerializationContext ctx) {
      generator.write(vector.json);
    }
  }

  /** Reads an array of numbers or a base64 string; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer implements JsonbDeserializer<EmbeddingVector> {
    @Override
    public EmbeddingVector deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
      JsonValue value = parser.getValue();
      switch (value.getValueType()) {
        case NULL:
          return null;
        case STRING:
        case ARRAY:
          return new EmbeddingVector(value);
        default:
          throw new JsonbException("embedding must be an array or a base64 string, got " + value);
      }
    }
  }
}
