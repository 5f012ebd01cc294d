package dev.warden.openai.model;

import jakarta.json.Json;
import jakarta.json.JsonObject;
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
import java.util.Objects;

/**
 * The {@code tool_choice} parameter of Chat Completions and Responses: a mode string ({@code
 * "none"}, {@code "auto"}, {@code "required"}) or an object naming a tool (kept as a {@link
 * JsonObject}, since its shape depends on the API and the tool kind). Round-trips exactly.
 * Immutable.
 */
@JsonbTypeSerializer(ToolChoice.Serializer.class)
@JsonbTypeDeserializer(ToolChoice.Deserializer.class)
public final class ToolChoice {

  /** The model calls no tool. */
  public static final ToolChoice NONE = new ToolChoice("none", null);

  /** The model decides whether to call tools. */
  public static final ToolChoice AUTO = new ToolChoice("auto", null);

  /** The model must call at least one tool. */
  public static final ToolChoice REQUIRED = new ToolChoice("required", null);

  private final String mode;
  private final JsonObject object;

  private ToolChoice(String mode, JsonObject object) {
    this.mode = mode;
    this.object = object;
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
        Json.createObjectBuilder()
            .add("type", "function")
            .add("function", Json.createObjectBuilder().add("name", name))
            .build());
  }

  /**
   * Forces a call to the named function, in the Responses form {@code {"type": "function", "name":
   * ...}}.
   */
  public static ToolChoice responsesFunction(String name) {
    return of(Json.createObjectBuilder().add("type", "function").add("name", name).build());
  }

  /** Whether this is the mode-string form. */
  public boolean isMode() {
    return mode != null;
  }

  /** The mode string, or {@code null} for the object form. */
  public String mode() {
    return mode;
  }

  /** The object form, or {@code null} for a mode string. */
  public JsonObject object() {
    return object;
  }

  /** The object's {@code type} ({@code "function"}, {@code "allowed_tools"}, ...), else null. */
  public String type() {
    return object == null ? null : object.getString("type", null);
  }

  /**
   * The forced function's name in either API's form ({@code function.name} or {@code name}), or
   * {@code null} when no single function is forced.
   */
  public String functionName() {
    if (object == null || !"function".equals(type())) {
      return null;
    }
    JsonValue function = object.get("function");
    if (function != null && function.getValueType() == JsonValue.ValueType.OBJECT) {
      return function.asJsonObject().getString("name", null);
    }
    return object.getString("name", null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolChoice
        && Objects.equals(mode, ((ToolChoice) o).mode)
        && Objects.equals(object, ((ToolChoice) o).object);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, object);
  }

  @Override
  public String toString() {
    return "ToolChoice[" + (mode != null ? mode : object) + "]";
  }

  /** Writes the string or the object. */
  public static final class Serializer implements JsonbSerializer<ToolChoice> {
    @Override
    public void serialize(ToolChoice choice, JsonGenerator generator, SerializationContext ctx) {
      if (choice.mode != null) {
        generator.write(choice.mode);
      } else {
        generator.write(choice.object);
      }
    }
  }

  /** Reads a string or an object; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer implements JsonbDeserializer<ToolChoice> {
    @Override
    public ToolChoice deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
      JsonValue value = parser.getValue();
      switch (value.getValueType()) {
        case NULL:
          return null;
        case STRING:
          return of(((JsonString) value).getString());
        case OBJECT:
          return of(value.asJsonObject());
        default:
          throw new JsonbException("tool_choice must be a string or an object, got " + value);
      }
    }
  }
}
