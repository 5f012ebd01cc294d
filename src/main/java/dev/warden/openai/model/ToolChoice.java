package dev.warden.openai.model;

import dev.warden.config.Jsonp;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.annotation.JsonbTypeSerializer;
import java.util.Objects;

/**
 * The {@code tool_choice} parameter of Chat Completions and Responses: a mode string ({@code
 * "none"}, {@code "auto"}, {@code "required"}) or an object naming a tool (kept as a {@link
 * JsonObject}, since its shape depends on the API and the tool kind). Round-trips exactly.
 * Immutable.
 */
@JsonbTypeSerializer(StringOr.Serializer.class)
@JsonbTypeDeserializer(ToolChoice.Deserializer.class)
public final class ToolChoice extends StringOr<JsonObject> {

  /** The model calls no tool. */
  public static final ToolChoice NONE = new ToolChoice("none", null);

  /** The model decides whether to call tools. */
  public static final ToolChoice AUTO = new ToolChoice("auto", null);

  /** The model must call at least one tool. */
  public static final ToolChoice REQUIRED = new ToolChoice("required", null);

  private ToolChoice(String mode, JsonObject object) {
    super(mode, object);
  }

  /** A mode string such as {@code "auto"}, written as a JSON string. */
  public static ToolChoice of(String mode) {
    return new ToolChoice(Objects.requireNonNull(mode, "mode"), null);
  }

  /** An object form, written as given. */
  public static ToolChoice of(JsonObject object) {
    return new ToolChoice(null, Objects.requireNonNull(object, "object"));
  }

  /**
   * Forces a call to the named function, in the Chat Completions form {@code {"type": "function",
   * "function": {"name": ...}}}.
   */
  public static ToolChoice function(String name) {
    return of(
        Jsonp.createObjectBuilder()
            .add("type", "function")
            .add("function", Jsonp.createObjectBuilder().add("name", name))
            .build());
  }

  /**
   * Forces a call to the named function, in the Responses form {@code {"type": "function", "name":
   * ...}}.
   */
  public static ToolChoice responsesFunction(String name) {
    return of(Jsonp.createObjectBuilder().add("type", "function").add("name", name).build());
  }

  /** Whether this is the mode-string form. */
  public boolean isMode() {
    return isString();
  }

  /** The mode string, or {@code null} for the object form. */
  public String mode() {
    return stringForm();
  }

  /** The object form, or {@code null} for a mode string. */
  public JsonObject object() {
    return otherForm();
  }

  /** The object's {@code type} ({@code "function"}, {@code "allowed_tools"}, ...), else null. */
  public String type() {
    JsonObject object = object();
    return object == null ? null : object.getString("type", null);
  }

  /**
   * The forced function's name in either API's form ({@code function.name} or {@code name}), or
   * {@code null} when no single function is forced.
   */
  public String functionName() {
    JsonObject object = object();
    if (object == null || !"function".equals(type())) {
      return null;
    }
    JsonValue function = object.get("function");
    if (function != null && function.getValueType() == JsonValue.ValueType.OBJECT) {
      return function.asJsonObject().getString("name", null);
    }
    return object.getString("name", null);
  }

  /** Reads a string or an object; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer extends StringOr.Deserializer<ToolChoice> {
    public Deserializer() {
      super(
          "tool_choice",
          JsonValue.ValueType.OBJECT,
          ToolChoice::of,
          (json, ctx) -> of(json.asJsonObject()));
    }
  }
}
