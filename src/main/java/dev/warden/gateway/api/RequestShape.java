package dev.warden.gateway.api;

import dev.warden.config.Jsonp;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ConversationItemsRequest;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateConversationRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.ErrorDetail;
import dev.warden.openai.model.StringOr;
import dev.warden.openai.model.UpdateConversationRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request body's structure, checked in one streaming pass before JSON-B binds it, so that what
 * Warden screens is exactly what it forwards:
 *
 * <ul>
 *   <li>a key that appears twice in one JSON object is refused ({@code duplicate_key}) on every
 *       path: parsers disagree on which of the two wins, and a body screened with one value and
 *       forwarded with the other must not exist;
 *   <li>on the {@code /v1} request bodies Warden binds, a field it does not know is refused at any
 *       depth ({@code unknown_parameter}, with its path as {@code param}, e.g. {@code
 *       messages[0].foo}), because JSON-B would silently drop it and the caller would believe a
 *       setting applied that never reached the model; values Warden keeps as raw JSON (for example
 *       {@code prediction}, a function's {@code parameters}, {@code metadata}) are forwarded as
 *       sent and are OpenAI's to check;
 *   <li>a field of the wrong JSON type gets OpenAI's {@code invalid_type} naming it, at any depth,
 *       instead of a generic {@code invalid_json}.
 * </ul>
 *
 * The known fields are the request records' {@link JsonbProperty} names, so they follow the
 * records. Only request bodies are checked; the reading of upstream answers keeps ignoring unknown
 * fields (new OpenAI fields must not break parsing). Malformed JSON is left to the parser, which
 * reports it as {@code invalid_json}.
 */
final class RequestShape {

  /** The JSON type a field takes; {@code ANY} for raw JSON. */
  enum Kind {
    STRING("a string"),
    INTEGER("an integer"),
    NUMBER("a decimal"),
    BOOLEAN("a boolean"),
    ARRAY("an array"),
    OBJECT("an object"),
    NULL("null"),
    ANY("a value");

    final String phrase;

    Kind(String phrase) {
      this.phrase = phrase;
    }

    boolean accepts(Kind got) {
      return this == ANY || got == NULL || got == this || (this == NUMBER && got == INTEGER);
    }
  }

  /** What Warden knows of a value: its kind and, for objects and arrays, what they hold. */
  private static final class Node {
    final Kind kind;

    /** For a bound object: its fields (unknown keys are refused); {@code null} for free keys. */
    Map<String, Node> fields;

    /** For an array (or a union's array side): the shape of its elements. */
    Node element;

    /** A string, or the value {@link #element} describes (the {@code StringOr} unions). */
    final boolean orString;

    Node(Kind kind, boolean orString) {
      this.kind = kind;
      this.orString = orString;
    }

    boolean accepts(Kind got) {
      return (orString && got == Kind.STRING) || kind.accepts(got);
    }

    String phrase() {
      return orString ? "a string or " + kind.phrase : kind.phrase;
    }
  }

  private static final Node RAW = new Node(Kind.ANY, false);

  /** Duplicate keys only: the bodies of {@code /api} and of {@code /v1} paths not bound here. */
  static final RequestShape ANY_JSON = new RequestShape();

  private static final Map<String, RequestShape> BY_PATH =
      Map.of(
          "/v1/chat/completions", new RequestShape(ChatCompletionRequest.class, false),
          "/v1/responses", new RequestShape(CreateResponseRequest.class, true),
          "/v1/embeddings", new RequestShape(EmbeddingRequest.class, false),
          "/v1/batches", new RequestShape(CreateBatchRequest.class, false),
          "/v1/conversations", new RequestShape(CreateConversationRequest.class, true));

  /** The bodies of {@code /v1/conversations/{id}} (update) and {@code .../{id}/items} (add). */
  private static final RequestShape CONVERSATION_UPDATE =
      new RequestShape(UpdateConversationRequest.class, true);

  private static final RequestShape CONVERSATION_ITEMS =
      new RequestShape(ConversationItemsRequest.class, true);

  private static final String CONVERSATIONS = "/v1/conversations/";

  private final Node root;
  private final boolean responsesWording;

  private RequestShape() {
    this.root = null;
    this.responsesWording = false;
  }

  RequestShape(Class<? extends Record> type, boolean responsesWording) {
    this.root = nodeOf(type, false, new HashMap<>());
    this.responsesWording = responsesWording;
  }

  /** The shape of the body of a request to {@code path}: the bound shape, else duplicates only. */
  static RequestShape forPath(String path) {
    if (path != null && path.startsWith(CONVERSATIONS)) {
      String[] rest = path.substring(CONVERSATIONS.length()).split("/", -1);
      if (rest.length == 1 && !rest[0].isEmpty()) {
        return CONVERSATION_UPDATE;
      }
      if (rest.length == 2 && !rest[0].isEmpty() && "items".equals(rest[1])) {
        return CONVERSATION_ITEMS;
      }
    }
    return BY_PATH.getOrDefault(path, ANY_JSON);
  }

  /**
   * The first problem of {@code json} as OpenAI reports it, or {@code null} when there is none (or
   * it is not well-formed JSON: that stays the parser's to report).
   */
  ErrorDetail check(byte[] json) {
    try (JsonParser parser = Jsonp.createParser(new ByteArrayInputStream(json))) {
      if (!parser.hasNext()) {
        return null;
      }
      Event first = parser.next();
      Node top = first == Event.START_OBJECT ? root : null;
      return value(parser, first, top, "");
    } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
      return null; // malformed: the parser that binds the body says so (invalid_json)
    }
  }

  private ErrorDetail value(JsonParser parser, Event event, Node node, String path) {
    Kind got = kindOf(event, parser);
    if (node != null && !node.accepts(got)) {
      return new ErrorDetail(
          "Invalid type for '"
              + path
              + "': expected "
              + node.phrase()
              + ", but got "
              + got.phrase
              + " instead.",
          "invalid_request_error",
          path,
          "invalid_type");
    }
    if (event == Event.START_OBJECT) {
      return object(parser, node == null || node.kind == Kind.ANY ? null : node.fields, path);
    }
    if (event == Event.START_ARRAY) {
      return array(parser, node == null ? null : node.element, path);
    }
    return null;
  }

  private ErrorDetail object(JsonParser parser, Map<String, Node> fields, String path) {
    Set<String> seen = new HashSet<>();
    while (true) {
      Event event = parser.next();
      if (event == Event.END_OBJECT) {
        return null;
      }
      String key = parser.getString();
      String at = path.isEmpty() ? key : path + "." + key;
      if (!seen.add(key)) {
        return new ErrorDetail(
            "The key '" + at + "' appears more than once in one JSON object; send every key once.",
            "invalid_request_error",
            at,
            "duplicate_key");
      }
      Node child = null;
      if (fields != null) {
        child = fields.get(key);
        if (child == null) {
          return unknown(at, path.isEmpty());
        }
      }
      ErrorDetail problem = value(parser, parser.next(), child, at);
      if (problem != null) {
        return problem;
      }
    }
  }

  private ErrorDetail array(JsonParser parser, Node element, String path) {
    for (int i = 0; ; i++) {
      Event event = parser.next();
      if (event == Event.END_ARRAY) {
        return null;
      }
      ErrorDetail problem = value(parser, event, element, path + "[" + i + "]");
      if (problem != null) {
        return problem;
      }
    }
  }

  private ErrorDetail unknown(String path, boolean topLevel) {
    String message =
        responsesWording || !topLevel
            ? "Unknown parameter: '" + path + "'."
            : "Unrecognized request argument supplied: " + path;
    return new ErrorDetail(message, "invalid_request_error", path, "unknown_parameter");
  }

  private static Kind kindOf(Event event, JsonParser parser) {
    switch (event) {
      case START_OBJECT:
        return Kind.OBJECT;
      case START_ARRAY:
        return Kind.ARRAY;
      case VALUE_STRING:
        return Kind.STRING;
      case VALUE_NUMBER:
        return parser.isIntegralNumber() ? Kind.INTEGER : Kind.NUMBER;
      case VALUE_TRUE:
      case VALUE_FALSE:
        return Kind.BOOLEAN;
      case VALUE_NULL:
        return Kind.NULL;
      default:
        throw new IllegalStateException("unexpected JSON event " + event);
    }
  }

  /** The shape of a Java type as JSON-B binds it; {@code seen} closes recursive records. */
  private static Node nodeOf(Type type, boolean customDeserializer, Map<Class<?>, Node> seen) {
    Class<?> raw = rawOf(type);
    if (customDeserializer && List.class.isAssignableFrom(raw)) {
      // a component with its own deserializer that reads a string or an array (content)
      Node union = new Node(Kind.ARRAY, true);
      union.element = nodeOf(elementOf(type), false, seen);
      return union;
    }
    if (raw == String.class) {
      return new Node(Kind.STRING, false);
    }
    if (raw == Integer.class || raw == Long.class || raw == int.class || raw == long.class) {
      return new Node(Kind.INTEGER, false);
    }
    if (raw == Double.class || raw == Float.class || raw == double.class || raw == float.class) {
      return new Node(Kind.NUMBER, false);
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return new Node(Kind.BOOLEAN, false);
    }
    if (List.class.isAssignableFrom(raw)) {
      Node array = new Node(Kind.ARRAY, false);
      array.element = nodeOf(elementOf(type), false, seen);
      return array;
    }
    if (Map.class.isAssignableFrom(raw) || JsonObject.class.isAssignableFrom(raw)) {
      return new Node(Kind.OBJECT, false); // free keys, forwarded as sent
    }
    if (JsonArray.class.isAssignableFrom(raw)) {
      return new Node(Kind.ARRAY, false); // raw elements, forwarded as sent
    }
    if (JsonValue.class.isAssignableFrom(raw)) {
      return RAW;
    }
    if (StringOr.class.isAssignableFrom(raw)) {
      Node other = nodeOf(stringOrArgument(raw), false, seen);
      Node union = new Node(other.kind, true);
      union.fields = other.fields;
      union.element = other.element;
      return union;
    }
    if (raw.isAnnotationPresent(JsonbTypeDeserializer.class) || !raw.isRecord()) {
      return RAW;
    }
    Node known = seen.get(raw);
    if (known != null) {
      return known;
    }
    Node object = new Node(Kind.OBJECT, false);
    seen.put(raw, object);
    Map<String, Node> fields = new HashMap<>();
    for (RecordComponent c : raw.getRecordComponents()) {
      Field field = field(raw, c);
      JsonbProperty p = field.getAnnotation(JsonbProperty.class);
      boolean custom =
          c.isAnnotationPresent(JsonbTypeDeserializer.class)
              || field.isAnnotationPresent(JsonbTypeDeserializer.class)
              || c.getAccessor().isAnnotationPresent(JsonbTypeDeserializer.class);
      fields.put(p == null ? c.getName() : p.value(), nodeOf(c.getGenericType(), custom, seen));
    }
    object.fields = Collections.unmodifiableMap(fields);
    return object;
  }

  private static Class<?> rawOf(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  private static Type elementOf(Type listType) {
    return listType instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
  }

  /** The {@code F} of a {@code StringOr<F>} subclass. */
  private static Type stringOrArgument(Class<?> type) {
    Type superType = type.getGenericSuperclass();
    while (superType != null) {
      if (superType instanceof ParameterizedType p && p.getRawType() == StringOr.class) {
        Type argument = p.getActualTypeArguments()[0];
        return argument instanceof TypeVariable<?> ? Object.class : argument;
      }
      superType = rawOf(superType).getGenericSuperclass();
    }
    return Object.class;
  }

  private static Field field(Class<?> type, RecordComponent c) {
    try {
      return type.getDeclaredField(c.getName());
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }
}
