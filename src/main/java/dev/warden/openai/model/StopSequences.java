package dev.warden.openai.model;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.annotation.JsonbTypeSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The chat {@code stop} parameter: a single string or an array of up to four strings. The form that
 * was read is the form written back. Immutable.
 */
@JsonbTypeSerializer(StringOr.Serializer.class)
@JsonbTypeDeserializer(StopSequences.Deserializer.class)
public final class StopSequences extends StringOr<List<String>> {

  private StopSequences(String string, List<String> list) {
    super(string, list);
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

  /** The sequences, whichever form was used. */
  public List<String> values() {
    return isString() ? List.of(stringForm()) : otherForm();
  }

  /** Reads a string or an array of strings; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer extends StringOr.Deserializer<StopSequences> {
    public Deserializer() {
      super("stop", JsonValue.ValueType.ARRAY, StopSequences::of, (json, ctx) -> strings(json));
    }

    private static StopSequences strings(JsonValue json) {
      List<String> list = new ArrayList<>();
      for (JsonValue element : json.asJsonArray()) {
        if (!(element instanceof JsonString)) {
          throw new JsonbException("stop must hold strings only, got " + element);
        }
        list.add(((JsonString) element).getString());
      }
      return of(list);
    }
  }
}
