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
 * The {@code content} of a chat message: either a plain string or an array of {@link ContentPart}s.
 * Whichever form was read is the form written back, so a string stays a string and an array stays
 * an array. Immutable.
 */
@JsonbTypeSerializer(MessageContent.Serializer.class)
@JsonbTypeDeserializer(MessageContent.Deserializer.class)
public final class MessageContent {

  private final String string;
  private final List<ContentPart> parts;

  private MessageContent(String string, List<ContentPart> parts) {
    this.string = string;
    this.parts = parts;
  }

  /** Content given as a plain string. */
  public static MessageContent of(String text) {
    return new MessageContent(Objects.requireNonNull(text, "text"), null);
  }

  /** Content given as an array of parts. */
  public static MessageContent of(List<ContentPart> parts) {
    Objects.requireNonNull(parts, "parts");
    return new MessageContent(null, Copies.list(parts));
  }

  /** Content given as an array of parts. */
  public static MessageContent of(ContentPart... parts) {
    return of(Arrays.asList(parts));
  }

  /** Whether the content is the plain-string form. */
  public boolean isString() {
    return string != null;
  }

  /** The plain string, or {@code null} when the content is an array of parts. */
  public String string() {
    return string;
  }

  /** The parts, or {@code null} when the content is a plain string. */
  public List<ContentPart> parts() {
    return parts;
  }

  /** The parts; a plain string reads as one {@code text} part. */
  public List<ContentPart> asParts() {
    return string != null ? List.of(ContentPart.text(string)) : parts;
  }

  /** The plain string, or the text of every {@code text} part concatenated (possibly empty). */
  public String text() {
    if (string != null) {
      return string;
    }
    StringBuilder text = new StringBuilder();
    for (ContentPart part : parts) {
      if (part != null && part.text() != null && "text".equals(part.type())) {
        text.append(part.text());
      }
    }
    return text.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageContent
        && Objects.equals(string, ((MessageContent) o).string)
        && Objects.equals(parts, ((MessageContent) o).parts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(string, parts);
  }

  @Override
  public String toString() {
    return string != null ? "MessageContent[" + string + "]" : "MessageContent" + parts;
  }

  /** Writes the string or the array of parts. */
  public static final class Serializer implements JsonbSerializer<MessageContent> {
    @Override
    public void serialize(
        MessageContent content, JsonGenerator generator, SerializationContext ctx) {
      if (content.string != null) {
        generator.write(content.string);
        return;
      }
      generator.writeStartArray();
      for (ContentPart part : content.parts) {
        if (part == null) {
          generator.writeNull();
        } else {
          ctx.serialize(part, generator);
        }
      }
      generator.writeEnd();
    }
  }

  /** Reads a string or an array of parts; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer implements JsonbDeserializer<MessageContent> {
    @Override
    public MessageContent deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
      JsonValue value = parser.getValue();
      switch (value.getValueType()) {
        case NULL:
          return null;
        case STRING:
          return of(((JsonString) value).getString());
        case ARRAY:
          List<ContentPart> parts = new ArrayList<>();
          for (JsonValue element : value.asJsonArray()) {
            if (element.getValueType() == JsonValue.ValueType.NULL) {
              parts.add(null);
            } else if (element.getValueType() == JsonValue.ValueType.OBJECT) {
              parts.add(ctx.deserialize(ContentPart.class, Copies.parser(element.asJsonObject())));
            } else {
              throw new JsonbException("A content part must be an object, got " + element);
            }
          }
          return new MessageContent(null, Collections.unmodifiableList(parts));
        default:
          throw new JsonbException("content must be a string or an array, got " + value);
      }
    }
  }
}
