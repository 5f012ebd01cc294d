package dev.warden.openai.model;

import dev.warden.config.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The one walk over the free texts of the OpenAI model: what a caller or a model wrote, as opposed
 * to identifiers, settings, images and files. Redaction rewrites the texts of requests, rehydration
 * those of answers, screening reads them; a new text field of the model is added here only.
 *
 * <p>Chat Completions requests and answers: every message's string content and the {@code text} and
 * {@code refusal} of its content parts, its {@code refusal}, its tool calls' {@code
 * function.arguments} (a JSON text) and custom {@code input}. Responses requests and answers: the
 * string {@code instructions}, a string {@code input}, every item's text and refusal content parts
 * (string content stays a string), {@code arguments} (a JSON text), custom tool call {@code input},
 * and {@code output} (a string, or every string of its JSON value except identifiers and binary
 * payloads). Embeddings requests: each input text (token ids are not text). Requests of every kind:
 * the caller-supplied {@code user}, {@code safety_identifier} and {@code metadata} values (keys
 * stay), which reach the upstream too; Responses answers echo them and get them restored. Nothing
 * else changes.
 *
 * <p>What it cannot read is listed by {@link #opaque}: images, audio and files, inline or by
 * reference, in messages, items, tool outputs and prompt variables.
 *
 * <p>{@link #map} rebuilds the model with a function applied to each text and keeps everything
 * else; {@link #forEach} only reads. {@code null} texts are skipped. The function may throw; the
 * walk stops there.
 */
public final class ModelTexts {

  /** What a text is. */
  public enum Field {
    /** The string {@code instructions} of a Responses request or answer. */
    INSTRUCTIONS,
    /** Message content: a string, or the text of one content part. */
    CONTENT,
    /** A refusal: a message's {@code refusal}, or a refusal content part. */
    REFUSAL,
    /** Tool-call arguments: a JSON text whose string values hold text. */
    ARGUMENTS,
    /** A custom tool call's free-form {@code input}. */
    TOOL_INPUT,
    /** A tool's {@code output} given to (or reported by) the model, or a string inside it. */
    TOOL_OUTPUT,
    /** One text of an embeddings {@code input}. */
    EMBEDDING_INPUT,
    /** The request's (or echoed answer's) {@code user}. */
    USER,
    /** The request's (or echoed answer's) {@code safety_identifier}. */
    SAFETY_IDENTIFIER,
    /** One value of the request's (or echoed answer's) {@code metadata}; keys are not texts. */
    METADATA
  }

  /** What kind of content an {@link Opaque} part is. */
  public enum Media {
    IMAGE,
    AUDIO,
    FILE
  }

  /**
   * A part of a request whose content Warden cannot read (so cannot redact): an image, audio or a
   * file, inline ({@code data:} URL, base64 {@code file_data}) or by reference (a URL, a {@code
   * file_id}).
   *
   * <p>A value (not a model record: it is never written as JSON): {@link #media()}, what it is;
   * {@link #type()}, the part's {@code type} as the API names it ({@code image_url}, {@code
   * input_audio}, {@code file}, {@code input_image}, {@code input_file}, {@code
   * computer_screenshot}), never the content; {@link #index()}, the index of its message or item,
   * {@code -1} for the {@code prompt}'s variables.
   */
  public static final class Opaque {
    private final Media media;
    private final String type;
    private final int index;

    public Opaque(Media media, String type, int index) {
      this.media = Objects.requireNonNull(media, "media");
      this.type = Objects.requireNonNull(type, "type");
      this.index = index;
    }

    public Media media() {
      return media;
    }

    public String type() {
      return type;
    }

    public int index() {
      return index;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Opaque p && media == p.media && type.equals(p.type) && index == p.index;
    }

    @Override
    public int hashCode() {
      return Objects.hash(media, type, index);
    }

    @Override
    public String toString() {
      return "Opaque[" + media + ", " + type + ", " + index + "]";
    }
  }

  /**
   * Where a text sits: what it is ({@link #field()}), the role of its message or item ({@link
   * #role()}, {@code null} when it has none; {@code user} for a Responses string {@code input}),
   * the type of its Responses item ({@link #itemType()}, {@code null} for Chat Completions and for
   * message items without one), and the index of its message, item or embeddings input ({@link
   * #index()}, {@code -1} for the {@code instructions}; the texts of one message share it). A value
   * (not a model record: it is never written as JSON).
   */
  public static final class Place {
    private final Field field;
    private final String role;
    private final String itemType;
    private final int index;

    public Place(Field field, String role, String itemType, int index) {
      this.field = Objects.requireNonNull(field, "field");
      this.role = role;
      this.itemType = itemType;
      this.index = index;
    }

    public Field field() {
      return field;
    }

    public String role() {
      return role;
    }

    public String itemType() {
      return itemType;
    }

    public int index() {
      return index;
    }

    /** Whether the text is a JSON text (tool-call arguments), to be rewritten as JSON. */
    public boolean json() {
      return field == Field.ARGUMENTS;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Place p
          && field == p.field
          && Objects.equals(role, p.role)
          && Objects.equals(itemType, p.itemType)
          && index == p.index;
    }

    @Override
    public int hashCode() {
      return Objects.hash(field, role, itemType, index);
    }

    @Override
    public String toString() {
      return "Place[" + field + ", " + role + ", " + itemType + ", " + index + "]";
    }
  }

  /** A function from a text and its place to the text to put there instead. */
  @FunctionalInterface
  public interface TextFunction {
    String apply(String text, Place place);
  }

  /** Keys of a tool output's JSON whose values are identifiers or binary payloads, not text. */
  private static final Set<String> OPAQUE_KEYS =
      Set.of("type", "id", "call_id", "file_id", "image_url", "file_url", "file_data", "detail");

  private ModelTexts() {}

  /** {@code request} with every text replaced by {@code f}'s result. */
  public static ChatCompletionRequest map(ChatCompletionRequest request, TextFunction f) {
    if (request == null || request.messages() == null) {
      return request;
    }
    return request.toBuilder()
        .messages(each(request.messages(), (m, i) -> message(m, i, f)))
        .user(apply(f, request.user(), Field.USER, null, null, -1))
        .safetyIdentifier(
            apply(f, request.safetyIdentifier(), Field.SAFETY_IDENTIFIER, null, null, -1))
        .metadata(metadata(request.metadata(), f))
        .build();
  }

  /** {@code request} with every text replaced by {@code f}'s result. */
  public static CreateResponseRequest map(CreateResponseRequest request, TextFunction f) {
    if (request == null) {
      return null;
    }
    CreateResponseRequest.Builder b = request.toBuilder();
    b.instructions(apply(f, request.instructions(), Field.INSTRUCTIONS, null, null, -1));
    b.user(apply(f, request.user(), Field.USER, null, null, -1));
    b.safetyIdentifier(
        apply(f, request.safetyIdentifier(), Field.SAFETY_IDENTIFIER, null, null, -1));
    b.metadata(metadata(request.metadata(), f));
    ResponseInput input = request.input();
    if (input != null) {
      b.input(
          input.isString()
              ? ResponseInput.of(apply(f, input.string(), Field.CONTENT, "user", null, 0))
              : ResponseInput.of(each(input.items(), (item, i) -> item(item, i, f))));
    }
    return b.build();
  }

  /**
   * {@code request} with every input text and its {@code user} replaced by {@code f}'s result;
   * token ids unchanged.
   */
  public static EmbeddingRequest map(EmbeddingRequest request, TextFunction f) {
    if (request == null) {
      return null;
    }
    EmbeddingInput input = request.input();
    EmbeddingInput mappedInput = input;
    if (input != null && !input.isTokens()) {
      List<String> texts = input.texts();
      List<String> mapped = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        mapped.add(apply(f, texts.get(i), Field.EMBEDDING_INPUT, null, null, i));
      }
      mappedInput = input.isString() ? EmbeddingInput.of(mapped.get(0)) : EmbeddingInput.of(mapped);
    }
    String user = apply(f, request.user(), Field.USER, null, null, -1);
    if (mappedInput == input && Objects.equals(user, request.user())) {
      return request;
    }
    return new EmbeddingRequest(
        mappedInput, request.model(), request.dimensions(), request.encodingFormat(), user);
  }

  /** {@code completion} with the texts of every choice's message replaced by {@code f}'s result. */
  public static ChatCompletion map(ChatCompletion completion, TextFunction f) {
    if (completion == null || completion.choices() == null) {
      return completion;
    }
    List<ChatChoice> choices =
        each(
            completion.choices(),
            (c, i) ->
                c.message() == null
                    ? c
                    : new ChatChoice(
                        c.index(), message(c.message(), i, f), c.finishReason(), c.logprobs()));
    return new ChatCompletion(
        completion.id(),
        completion.object(),
        completion.created(),
        completion.model(),
        choices,
        completion.usage(),
        completion.serviceTier(),
        completion.systemFingerprint());
  }

  /** {@code r} with its string instructions and the texts of its output replaced. */
  public static ModelResponse map(ModelResponse r, TextFunction f) {
    if (r == null) {
      return null;
    }
    List<ResponseItem> output =
        r.output() == null ? null : each(r.output(), (item, i) -> item(item, i, f));
    String instructions = r.instructionsText();
    return new ModelResponse(
        r.id(),
        r.object(),
        r.createdAt(),
        r.status(),
        r.error(),
        r.incompleteDetails(),
        instructions == null
            ? r.instructions()
            : Jsonp.createValue(apply(f, instructions, Field.INSTRUCTIONS, null, null, -1)),
        r.model(),
        output,
        r.parallelToolCalls(),
        r.previousResponseId(),
        r.conversation(),
        r.reasoning(),
        r.store(),
        r.background(),
        r.temperature(),
        r.topP(),
        r.text(),
        r.toolChoice(),
        r.tools(),
        r.truncation(),
        r.usage(),
        apply(f, r.user(), Field.USER, null, null, -1),
        metadata(r.metadata(), f),
        r.maxOutputTokens(),
        r.serviceTier(),
        r.promptCacheKey(),
        apply(f, r.safetyIdentifier(), Field.SAFETY_IDENTIFIER, null, null, -1),
        r.completedAt(),
        r.maxToolCalls(),
        r.topLogprobs(),
        r.prompt());
  }

  /** Calls {@code visitor} with every text of {@code request} and its place, in order. */
  public static void forEach(ChatCompletionRequest request, BiConsumer<String, Place> visitor) {
    map(request, reading(visitor));
  }

  /** Calls {@code visitor} with every text of {@code request} and its place, in order. */
  public static void forEach(CreateResponseRequest request, BiConsumer<String, Place> visitor) {
    map(request, reading(visitor));
  }

  /** Calls {@code visitor} with every text of {@code request} and its place, in order. */
  public static void forEach(EmbeddingRequest request, BiConsumer<String, Place> visitor) {
    map(request, reading(visitor));
  }

  /**
   * The parts of {@code request} Warden cannot read, in order: {@code image_url}, {@code
   * input_audio} and {@code file} content parts of every message (a part counts by its type or by
   * its payload, whichever is present).
   */
  public static List<Opaque> opaque(ChatCompletionRequest request) {
    List<Opaque> found = new ArrayList<>();
    if (request == null || request.messages() == null) {
      return found;
    }
    for (int i = 0; i < request.messages().size(); i++) {
      ChatMessage m = request.messages().get(i);
      if (m == null || m.content() == null || m.content().isString()) {
        continue;
      }
      for (ContentPart p : m.content().parts()) {
        if (p == null) {
          continue;
        }
        if (p.imageUrl() != null || "image_url".equals(p.type())) {
          found.add(new Opaque(Media.IMAGE, "image_url", i));
        } else if (p.inputAudio() != null || "input_audio".equals(p.type())) {
          found.add(new Opaque(Media.AUDIO, "input_audio", i));
        } else if (p.file() != null || "file".equals(p.type())) {
          found.add(new Opaque(Media.FILE, "file", i));
        }
      }
    }
    return found;
  }

  /**
   * The parts of {@code request} Warden cannot read, in order: {@code input_image}, {@code
   * input_file} and {@code input_audio} content parts of every item, the same (and {@code
   * computer_screenshot}s) inside tool outputs, and those given as {@code prompt} variables.
   */
  public static List<Opaque> opaque(CreateResponseRequest request) {
    List<Opaque> found = new ArrayList<>();
    if (request == null) {
      return found;
    }
    ResponseInput input = request.input();
    if (input != null && !input.isString() && input.items() != null) {
      for (int i = 0; i < input.items().size(); i++) {
        ResponseItem item = input.items().get(i);
        if (item == null) {
          continue;
        }
        if (item.content() != null && !item.contentIsString()) {
          for (ResponseContent p : item.content()) {
            if (p != null) {
              opaquePart(
                  p.type(),
                  p.imageUrl() != null,
                  p.fileData() != null || p.fileUrl() != null,
                  p.fileId() != null,
                  i,
                  found);
            }
          }
        }
        opaqueJson(item.output(), i, found);
      }
    }
    opaqueJson(request.prompt(), -1, found);
    return found;
  }

  /** A Responses content part: by its type, else by its payload. */
  private static void opaquePart(
      String type, boolean image, boolean file, boolean fileId, int index, List<Opaque> found) {
    if ("input_image".equals(type) || "computer_screenshot".equals(type)) {
      found.add(new Opaque(Media.IMAGE, type, index));
    } else if ("input_file".equals(type)) {
      found.add(new Opaque(Media.FILE, type, index));
    } else if ("input_audio".equals(type)) {
      found.add(new Opaque(Media.AUDIO, type, index));
    } else if (image) {
      found.add(new Opaque(Media.IMAGE, "input_image", index));
    } else if (file || fileId) {
      found.add(new Opaque(Media.FILE, "input_file", index));
    }
  }

  /** The opaque parts inside a JSON value (a tool output, the prompt's variables). */
  private static void opaqueJson(JsonValue value, int index, List<Opaque> found) {
    if (value == null) {
      return;
    }
    switch (value.getValueType()) {
      case ARRAY:
        for (JsonValue v : value.asJsonArray()) {
          opaqueJson(v, index, found);
        }
        break;
      case OBJECT:
        JsonObject o = value.asJsonObject();
        int before = found.size();
        String type = o.get("type") instanceof JsonString t ? t.getString() : null;
        opaquePart(
            type,
            o.containsKey("image_url"),
            o.containsKey("file_data") || o.containsKey("file_url"),
            o.containsKey("file_id"),
            index,
            found);
        if (found.size() == before) {
          for (JsonValue v : o.values()) {
            opaqueJson(v, index, found);
          }
        }
        break;
      default:
        break;
    }
  }

  /** {@code metadata} with every value replaced; keys and order kept. */
  private static Map<String, String> metadata(Map<String, String> metadata, TextFunction f) {
    if (metadata == null || metadata.isEmpty()) {
      return metadata;
    }
    Map<String, String> mapped = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String value = apply(f, e.getValue(), Field.METADATA, null, null, -1);
      changed |= !Objects.equals(value, e.getValue());
      mapped.put(e.getKey(), value);
    }
    return changed ? mapped : metadata;
  }

  private static TextFunction reading(BiConsumer<String, Place> visitor) {
    Objects.requireNonNull(visitor, "visitor");
    return (text, place) -> {
      visitor.accept(text, place);
      return text;
    };
  }

  private static ChatMessage message(ChatMessage m, int index, TextFunction f) {
    String role = m.role();
    MessageContent content = m.content();
    if (content != null) {
      if (content.isString()) {
        content = MessageContent.of(apply(f, content.string(), Field.CONTENT, role, null, index));
      } else {
        List<ContentPart> parts =
            each(
                content.parts(),
                (p, unused) ->
                    new ContentPart(
                        p.type(),
                        apply(f, p.text(), Field.CONTENT, role, null, index),
                        p.imageUrl(),
                        p.inputAudio(),
                        p.file(),
                        apply(f, p.refusal(), Field.REFUSAL, role, null, index),
                        p.promptCacheBreakpoint()));
        content = MessageContent.of(parts);
      }
    }
    List<ToolCall> calls = m.toolCalls();
    if (calls != null) {
      calls = each(calls, (c, unused) -> toolCall(c, role, index, f));
    }
    return new ChatMessage(
        role,
        content,
        m.name(),
        calls,
        m.toolCallId(),
        apply(f, m.refusal(), Field.REFUSAL, role, null, index),
        m.annotations(),
        m.audio());
  }

  private static ToolCall toolCall(ToolCall c, String role, int index, TextFunction f) {
    FunctionCall fn = c.function();
    if (fn != null) {
      fn =
          new FunctionCall(fn.name(), apply(f, fn.arguments(), Field.ARGUMENTS, role, null, index));
    }
    return new ToolCall(
        c.id(), c.type(), fn, stringMember(c.custom(), "input", f, role, null, index));
  }

  /** {@code list} with each element mapped with its index; {@code null} elements stay. */
  private static <T> List<T> each(List<T> list, BiFunction<T, Integer, T> map) {
    List<T> mapped = new ArrayList<>(list.size());
    for (T element : list) {
      mapped.add(element == null ? null : map.apply(element, mapped.size()));
    }
    return mapped;
  }

  private static ResponseItem item(ResponseItem i, int index, TextFunction f) {
    String role = i.role();
    String type = i.type();
    List<ResponseContent> content = i.content();
    if (content != null) {
      if (i.contentIsString()) {
        content = new TextContentList(apply(f, i.text(), Field.CONTENT, role, type, index));
      } else {
        content =
            each(
                content,
                (p, unused) ->
                    new ResponseContent(
                        p.type(),
                        apply(f, p.text(), Field.CONTENT, role, type, index),
                        p.annotations(),
                        p.logprobs(),
                        p.imageUrl(),
                        p.fileId(),
                        p.detail(),
                        apply(f, p.refusal(), Field.REFUSAL, role, type, index),
                        p.fileUrl(),
                        p.fileData(),
                        p.filename(),
                        p.promptCacheBreakpoint()));
      }
    }
    return new ResponseItem(
        type,
        i.id(),
        i.status(),
        role,
        content,
        i.callId(),
        i.name(),
        apply(f, i.arguments(), Field.ARGUMENTS, role, type, index),
        value(i.output(), f, new Place(Field.TOOL_OUTPUT, role, type, index)),
        i.summary(),
        i.encryptedContent(),
        i.action(),
        i.queries(),
        i.results(),
        i.phase(),
        i.namespace(),
        apply(f, i.input(), Field.TOOL_INPUT, role, type, index),
        i.caller());
  }

  private static String apply(
      TextFunction f, String text, Field field, String role, String itemType, int index) {
    return text == null ? null : f.apply(text, new Place(field, role, itemType, index));
  }

  /** {@code value} with every string replaced, except under identifier and binary-payload keys. */
  private static JsonValue value(JsonValue value, TextFunction f, Place place) {
    if (value == null) {
      return null;
    }
    switch (value.getValueType()) {
      case STRING:
        String original = ((JsonString) value).getString();
        String mapped = f.apply(original, place);
        return mapped.equals(original) ? value : Jsonp.createValue(mapped);
      case ARRAY:
        JsonArrayBuilder array = Jsonp.createArrayBuilder();
        for (JsonValue v : value.asJsonArray()) {
          array.add(value(v, f, place));
        }
        return array.build();
      case OBJECT:
        JsonObjectBuilder object = Jsonp.createObjectBuilder();
        for (Map.Entry<String, JsonValue> e : value.asJsonObject().entrySet()) {
          object.add(
              e.getKey(),
              OPAQUE_KEYS.contains(e.getKey()) ? e.getValue() : value(e.getValue(), f, place));
        }
        return object.build();
      default:
        return value;
    }
  }

  /** {@code object} with its string member {@code name} replaced as a custom tool input. */
  private static JsonObject stringMember(
      JsonObject object, String name, TextFunction f, String role, String itemType, int index) {
    if (object == null || !(object.get(name) instanceof JsonString)) {
      return object;
    }
    String original = object.getString(name);
    String mapped = apply(f, original, Field.TOOL_INPUT, role, itemType, index);
    return mapped.equals(original)
        ? object
        : Jsonp.createObjectBuilder(object).add(name, mapped).build();
  }
}
