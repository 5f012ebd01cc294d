package dev.warden.openai.model;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The Responses {@code input}: a plain string (one user message) or an array of {@link
 * ResponseItem}s. The form that was read is the form written back. Immutable.
 */
@JsonbTypeSerializer(ResponseInput.Serializer.class)
@JsonbTypeDeserializer(ResponseInput.Deserializer.class)
public final class ResponseInput {

  private final String string;
  private final List<ResponseItem> items;

  private ResponseInput(String string, List<ResponseItem> items) {
    this.string = string;
    this.items = items;
  }

  /** Input given as a plain string. */
  public static ResponseInput of(String text) {
    return new ResponseInput(Objects.requireNonNull(text, "text"), null);
  }

  /** Input given as an array of items. */
  public static ResponseInput of(List<ResponseItem> items) {
    Objects.requireNonNull(items, "items");
    return new ResponseInput(null, Copies.list(items));
  }

  /** Input given as an array of items. */
  public static ResponseInput of(ResponseItem... items) {
    return of(Arrays.asList(items));
  }

  /** Whether the input is the plain-string form. */
  public boolean isString() {
    return string != null;
  }

  /** The plain string, or {@code null} when the input is an array of items. */
  public String string() {
    return string;
  }

  /** The items, or {@code null} when the input is a plain string. */
  public List<ResponseItem> items() {
    return items;
  }

  /** The items; a plain string reads as one user message item. */
  public List<ResponseItem> asItems() {
    return string != null ? List.of(ResponseItem.message("user", string)) : items;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResponseInput
        && Objects.equals(string, ((ResponseInput) o).string)
        && Objects.equals(items, ((ResponseInput) o).items);
  }

  @Override
  public int hashCode() {
    return Objects.hash(string, items);
  }

  @Override
  public String toString() {
    return string != null ? "ResponseInput[" + string + "]" : "ResponseInput" + items;
  }

  /** Writes the string or the array of items. */
  public static final class Serializer implements JsonbSerializer<ResponseInput> {
    @Override
    public void serialize(ResponseInput input, JsonGenerator generator, SerializationContext ctx) {
      if (input.string != null) {
        generator.write(input.string);
        return;
      }
      generator.writeStartArray();
      for (ResponseItem item : input.items) {
        if (item == null) {
          generator.writeNull();
        } else {
          ctx.serialize(item, generator);
        }
      }
      generator.writeEnd();
    }
  }

  /** Reads a string or an array of items; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer implements JsonbDeserializer<ResponseInput> {
    @Override
    public ResponseInput deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
      JsonValue value = parser.getValue();
      switch (value.getValueType()) {
        case NULL:
          return null;
        case STRING:
          return of(((JsonString) value).getString());
        case ARRAY:
          List<ResponseItem> items = new ArrayList<>();
          for (JsonValue element : value.asJsonArray()) {
            if (element.getValueType() == JsonValue.ValueType.NULL) {
              items.add(null);
            } else if (element.getValueType() == JsonValue.ValueType.OBJECT) {
              items.add(ctx.deserialize(ResponseItem.class, Copies.parser(element.asJsonObject())));
            } else {
              throw new JsonbException("An input item must be an object, got " + element);
            }
          }
          return new ResponseInput(null, Collections.unmodifiableList(items));
        default:
          throw new JsonbException("input must be a string or an array, got " + value);
      }
    }
  }
}
