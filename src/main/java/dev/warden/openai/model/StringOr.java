package dev.warden.openai.model;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A parameter OpenAI accepts either as a JSON string or in one other form {@code F}: a list
 * (written as an array of its elements) or a JSON value (written as is). Whichever form was read or
 * built is the form written back. The base of {@link MessageContent}, {@link ResponseInput}, {@link
 * StopSequences}, {@link ToolChoice} and {@link EmbeddingInput}, with their one JSON-B {@link
 * Serializer} and a {@link Deserializer} each only names its forms for. Immutable.
 *
 * @param <F> the other form: a {@link List} or a {@link JsonValue}
 */
public abstract class StringOr<F> {

  private final String string;
  private final F other;

  StringOr(String string, F other) {
    if ((string == null) == (other == null)) {
      throw new IllegalArgumentException("exactly one of the string and the other form");
    }
    this.string = string;
    this.other = other;
  }

  /** Whether the value is the string form. */
  public boolean isString() {
    return string != null;
  }

  /** The string, or {@code null} for the other form. */
  String stringForm() {
    return string;
  }

  /** The other form, or {@code null} for a string. */
  F otherForm() {
    return other;
  }

  @Override
  public boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && Objects.equals(string, ((StringOr<?>) o).string)
        && Objects.equals(other, ((StringOr<?>) o).other);
  }

  @Override
  public int hashCode() {
    return Objects.hash(string, other);
  }

  @Override
  public String toString() {
    String name = getClass().getSimpleName();
    if (string != null) {
      return name + "[" + string + "]";
    }
    return other instanceof List ? name + other : name + "[" + other + "]";
  }

  /**
   * Reads a JSON array of objects of {@code type} (a {@code null} element stays {@code null}) into
   * an unmodifiable list.
   *
   * @param what the element, for the error message
   */
  static <T> List<T> objects(
      JsonArray array, Class<T> type, DeserializationContext ctx, String what) {
    List<T> list = new ArrayList<>(array.size());
    for (JsonValue element : array) {
      if (element.getValueType() == JsonValue.ValueType.NULL) {
        list.add(null);
      } else if (element.getValueType() == JsonValue.ValueType.OBJECT) {
        list.add(ctx.deserialize(type, Copies.parser(element.asJsonObject())));
      } else {
        throw new JsonbException(what + " must be an object, got " + element);
      }
    }
    return Collections.unmodifiableList(list);
  }

  /** Writes {@code list} as a JSON array, each element through JSON-B. */
  static void writeArray(List<?> list, JsonGenerator generator, SerializationContext ctx) {
    generator.writeStartArray();
    for (Object element : list) {
      if (element == null) {
        generator.writeNull();
      } else {
        ctx.serialize(element, generator);
      }
    }
    generator.writeEnd();
  }

  /** Writes the string, or the other form. */
  public static final class Serializer implements JsonbSerializer<StringOr<?>> {
    @Override
    public void serialize(StringOr<?> value, JsonGenerator generator, SerializationContext ctx) {
      if (value.string != null) {
        generator.write(value.string);
      } else if (value.other instanceof JsonValue json) {
        generator.write(json);
      } else {
        writeArray((List<?>) value.other, generator, ctx);
      }
    }
  }

  /**
   * Reads a string or the other form of one union; JSON {@code null} reads as {@code null}, any
   * other JSON is an error naming the parameter.
   *
   * @param <T> the union
   */
  abstract static class Deserializer<T> implements JsonbDeserializer<T> {
    private final String name;
    private final JsonValue.ValueType otherType;
    private final Function<String, T> ofString;
    private final BiFunction<JsonValue, DeserializationContext, T> ofOther;

    /**
     * @param name the parameter, for error messages
     * @param otherType the JSON type of the other form
     * @param ofString the union of a string
     * @param ofOther the union of a JSON value of {@code otherType}
     */
    Deserializer(
        String name,
        JsonValue.ValueType otherType,
        Function<String, T> ofString,
        BiFunction<JsonValue, DeserializationContext, T> ofOther) {
      this.name = name;
      this.otherType = otherType;
      this.ofString = ofString;
      this.ofOther = ofOther;
    }

    @Override
    public T deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
      JsonValue value = parser.getValue();
      if (value.getValueType() == JsonValue.ValueType.NULL) {
        return null;
      }
      if (value.getValueType() == JsonValue.ValueType.STRING) {
        return ofString.apply(((JsonString) value).getString());
      }
      if (value.getValueType() == otherType) {
        return ofOther.apply(value, ctx);
      }
      throw new JsonbException(
          name
              + " must be a string or an "
              + otherType.name().toLowerCase(java.util.Locale.ROOT)
              + ", got "
              + value);
    }
  }
}
