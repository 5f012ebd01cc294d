package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.annotation.JsonbTypeSerializer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Responses {@code input}: a plain string (one user message) or an array of {@link
 * ResponseItem}s. The form that was read is the form written back. Immutable.
 */
@JsonbTypeSerializer(StringOr.Serializer.class)
@JsonbTypeDeserializer(ResponseInput.Deserializer.class)
public final class ResponseInput extends StringOr<List<ResponseItem>> {

  private ResponseInput(String string, List<ResponseItem> items) {
    super(string, items);
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

  /** The plain string, or {@code null} when the input is an array of items. */
  public String string() {
    return stringForm();
  }

  /** The items, or {@code null} when the input is a plain string. */
  public List<ResponseItem> items() {
    return otherForm();
  }

  /** The items; a plain string reads as one user message item. */
  public List<ResponseItem> asItems() {
    return isString() ? List.of(ResponseItem.message("user", string())) : items();
  }

  /** Reads a string or an array of items; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer extends StringOr.Deserializer<ResponseInput> {
    public Deserializer() {
      super(
          "input",
          JsonValue.ValueType.ARRAY,
          ResponseInput::of,
          (json, ctx) ->
              new ResponseInput(
                  null, objects(json.asJsonArray(), ResponseItem.class, ctx, "An input item")));
    }
  }
}
