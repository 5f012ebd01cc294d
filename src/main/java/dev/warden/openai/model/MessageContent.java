package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.annotation.JsonbTypeSerializer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The {@code content} of a chat message: either a plain string or an array of {@link ContentPart}s.
 * Whichever form was read is the form written back, so a string stays a string and an array stays
 * an array. Immutable.
 */
@JsonbTypeSerializer(StringOr.Serializer.class)
@JsonbTypeDeserializer(MessageContent.Deserializer.class)
public final class MessageContent extends StringOr<List<ContentPart>> {

  private MessageContent(String string, List<ContentPart> parts) {
    super(string, parts);
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

  /** The plain string, or {@code null} when the content is an array of parts. */
  public String string() {
    return stringForm();
  }

  /** The parts, or {@code null} when the content is a plain string. */
  public List<ContentPart> parts() {
    return otherForm();
  }

  /** The parts; a plain string reads as one {@code text} part. */
  public List<ContentPart> asParts() {
    return isString() ? List.of(ContentPart.text(string())) : parts();
  }

  /** The plain string, or the text of every {@code text} part concatenated (possibly empty). */
  public String text() {
    if (isString()) {
      return string();
    }
    StringBuilder text = new StringBuilder();
    for (ContentPart part : parts()) {
      if (part != null && part.text() != null && "text".equals(part.type())) {
        text.append(part.text());
      }
    }
    return text.toString();
  }

  /** Reads a string or an array of parts; JSON {@code null} reads as {@code null}. */
  public static final class Deserializer extends StringOr.Deserializer<MessageContent> {
    public Deserializer() {
      super(
          "content",
          JsonValue.ValueType.ARRAY,
          MessageContent::of,
          (json, ctx) ->
              new MessageContent(
                  null, objects(json.asJsonArray(), ContentPart.class, ctx, "A content part")));
    }
  }
}
