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
import java.util.List;
import java.util.Objects;

/**
 * The chat {@code stop} parameter: a single string or an array of up to four strings. The form that
 * was read is the form written back. Immutable.
 */
@JsonbTypeSerializer(StopSequences.Serializer.class)
@JsonbTypeDeserializer(StopSequences.Deserializer.class)
public final class StopSequences {

  private final String string;
  private final List<String> list;

  private StopSequences(String string, List<String> list) {
    this.string = string;
    this.list = list;
  }

  /** A single stop sequence, written as a JSON string. */
  public static StopSequences of(String sequence) {
    return new StopSequences(Objects.requireNonNull(sequence, "sequence"), null);
  }

  /** Stop sequences written as a JSON array (even with a single element). */
  public static StopSequences of(List<String> sequences) {
    return new StopSequences(null, List.copyOf(sequences));
  }

  /** Stop sequences written as a JSON array. */
  public static StopSequences ofAll(String... sequences) {
    return of(Arrays.asList(sequences));
  }

  /** Whether the single-string form is used. */
  public boolean isString() {
    return string != null;
  }

  /** The sequences, whichever form was used. */
  public List<String> values() {
    return string != null ? List.of(string) : list;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StopSequences
        && Objects.equals(string, ((StopSequences) o).string)
        && Objects.equals(list, ((StopSequences) o).list);
  }

  @Override
  public int hashCode() {
    return Objects.hash(string, list);
  }

  @Override
  public String toString() {
    return "StopSequences" + (string != null ? "[" + string + "]" : list);
  }

  /** Writes the string or the array. */
  public static final class Serializer implements JsonbSerializer<StopSequences> {
    @Override
    public void serialize(StopSequences stop, JsonGenerator generator, SerializationContext ctx) {
      if (stop.string != null) {
        generator.write(stop.string);
        return;
      }
      generator.writeStartArray();
      stop.list.forEach(generator::write);
      generator.writeEnd();
    }
  }

  /** Reads a string or an array of strings; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer implements JsonbDeserializer<StopSequences> {
    @Override
    public StopSequences deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
      JsonValue value = parser.getValue();
      switch (value.getValueType()) {
        case NULL:
          return null;
        case STRING:
          return of(((JsonString) value).getString());
        case ARRAY:
          List<String> list = new ArrayList<>();
          for (JsonValue element : value.asJsonArray()) {
            if (!(element instanceof JsonString)) {
              throw new JsonbException("stop must hold strings only, got " + element);
            }
            list.add(((JsonString) element).getString());
          }
          return of(list);
        default:
          throw new JsonbException("stop must be a string or an array, got " + value);
      }
    }
  }
}
