package dev.warden.openai.model;

import dev.warden.config.Jsonp;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.annotation.JsonbTypeSerializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import java.util.List;

/**
 * An input or output item of the Responses API, as one wide record over the item types: {@code
 * message} ({@code role}, {@code content}, {@code status}), {@code function_call} ({@code call_id},
 * {@code name}, {@code arguments}), {@code function_call_output} ({@code call_id}, {@code output}),
 * {@code reasoning} ({@code summary}, {@code encrypted_content}), {@code web_search_call} ({@code
 * action}), {@code file_search_call} ({@code queries}, {@code results}), and so on; fields of other
 * item types that are not modelled here are dropped. An input message may omit {@code type}.
 *
 * <p>{@code content} may arrive as a plain string ({@code {"role": "user", "content": "Hi"}}): it
 * then reads as a list of one {@code input_text} part, and is written back as the original string
 * (see {@link #contentIsString()}).
 */
public record ResponseItem(
    @JsonbProperty("type") String type,
    @JsonbProperty("id") String id,
    @JsonbProperty("status") String status,
    @JsonbProperty("role") String role,
    @JsonbProperty("content")
        @JsonbTypeSerializer(ResponseItem.ContentSerializer.class)
        @JsonbTypeDeserializer(ResponseItem.ContentDeserializer.class)
        List<ResponseContent> content,
    @JsonbProperty("call_id") String callId,
    @JsonbProperty("name") String name,
    @JsonbProperty("arguments") String arguments,
    @JsonbProperty("output") JsonValue output,
    @JsonbProperty("summary") JsonValue summary,
    @JsonbProperty("encrypted_content") String encryptedContent,
    @JsonbProperty("action") JsonValue action,
    @JsonbProperty("queries") JsonValue queries,
    @JsonbProperty("results") JsonValue results,
    @JsonbProperty("phase") String phase,
    @JsonbProperty("namespace") String namespace,
    @JsonbProperty("input") String input,
    @JsonbProperty("caller") JsonValue caller) {
  public ResponseItem {
    content = Copies.list(content);
    output = Copies.json(output);
    summary = Copies.json(summary);
    action = Copies.json(action);
    queries = Copies.json(queries);
    results = Copies.json(results);
    caller = Copies.json(caller);
  }

  /**
   * A {@code message} item whose content is the plain string {@code text}; {@code role} is {@code
   * user}, {@code assistant}, {@code system} or {@code developer}.
   */
  public static ResponseItem message(String role, String text) {
    return message(role, new TextContentList(text));
  }

  /** A {@code message} item with content parts. */
  public static ResponseItem message(String role, List<ResponseContent> content) {
    return new ResponseItem(
        "message", null, null, role, content, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }

  /** A {@code function_call} item (the model's call, replayed as input). */
  public static ResponseItem functionCall(String callId, String name, String arguments) {
    return new ResponseItem(
        "function_call",
        null,
        null,
        null,
        null,
        callId,
        name,
        arguments,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** A {@code function_call_output} item carrying the result of the call {@code callId}. */
  public static ResponseItem functionCallOutput(String callId, String output) {
    return new ResponseItem(
        "function_call_output",
        null,
        null,
        null,
        null,
        callId,
        null,
        null,
        Jsonp.createValue(output),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** Whether {@code content} was given as a plain string rather than an array of parts. */
  public boolean contentIsString() {
    return content instanceof TextContentList;
  }

  /**
   * The text of the content parts ({@code input_text}, {@code output_text}, ...) concatenated, or
   * the plain-string content; {@code null} when the item has no content.
   */
  public String text() {
    if (content == null) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (ResponseContent part : content) {
      if (part != null && part.text() != null) {
        text.append(part.text());
      }
    }
    return text.toString();
  }

  /** Writes {@code content} as the original string, or as an array of parts. */
  public static final class ContentSerializer implements JsonbSerializer<List<ResponseContent>> {
    @Override
    public void serialize(
        List<ResponseContent> content, JsonGenerator generator, SerializationContext ctx) {
      if (content instanceof TextContentList) {
        generator.write(((TextContentList) content).text());
      } else {
        StringOr.writeArray(content, generator, ctx);
      }
    }
  }

  /** Reads {@code content} as a string or an array of parts; JSON {@code null} reads as null. */
  public static final class ContentDeserializer
      extends StringOr.Deserializer<List<ResponseContent>> {
    public ContentDeserializer() {
      super(
          "content",
          JsonValue.ValueType.ARRAY,
          TextContentList::new,
          (json, ctx) ->
              StringOr.objects(json.asJsonArray(), ResponseContent.class, ctx, "A content part"));
    }
  }
}
