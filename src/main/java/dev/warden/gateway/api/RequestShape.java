package dev.warden.gateway.api;

import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.ErrorDetail;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The top level of a {@code /v1} request body, checked before JSON-B binds it: a field Warden does
 * not know is refused as OpenAI refuses it (JSON-B would silently drop it, so the caller would
 * believe a setting applied that never reached the model), and a field of the wrong JSON type gets
 * OpenAI's {@code invalid_type} naming the field instead of a generic {@code invalid_json}.
 *
 * <p>The known fields are the request record's {@link JsonbProperty} names, so they follow the
 * records. Only the request bodies are checked; the REST client's reading of upstream answers keeps
 * ignoring unknown fields (new OpenAI fields must not break parsing). One pass over the bytes that
 * skips nested values without parsing them.
 */
final class RequestShape {

  /** The JSON type a field takes; {@code ANY} for union types (string or array, ...). */
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

  private static final Map<String, RequestShape> BY_PATH =
      Map.of(
          "/v1/chat/completions", new RequestShape(ChatCompletionRequest.class, false),
          "/v1/responses", new RequestShape(CreateResponseRequest.class, true),
          "/v1/embeddings", new RequestShape(EmbeddingRequest.class, false));

  private final Map<String, Kind> fields;
  private final boolean responsesWording;

  RequestShape(Class<? extends Record> type, boolean responsesWording) {
    Map<String, Kind> f = new HashMap<>();
    for (RecordComponent c : type.getRecordComponents()) {
      JsonbProperty p = field(type, c).getAnnotation(JsonbProperty.class);
      f.put(p == null ? c.getName() : p.value(), kindOf(c.getType()));
    }
    this.fields = Collections.unmodifiableMap(f);
    this.responsesWording = responsesWording;
  }

  /** The shape of the body of a POST to {@code path}, or {@code null} when it is not checked. */
  static RequestShape forPath(String path) {
    return BY_PATH.get(path);
  }

  Map<String, Kind> fields() {
    return fields;
  }

  /**
   * The first problem of {@code json}'s top level as OpenAI reports it, or {@code null} when there
   * is none (or the body is not a JSON object at all: that stays the parser's to report).
   */
  ErrorDetail check(byte[] json) {
    int n = json.length;
    int i = skipWhitespace(json, 0);
    if (i >= n || json[i] != '{') {
      return null;
    }
    i++;
    while (true) {
      i = skipWhitespace(json, i);
      if (i >= n || json[i] == '}') {
        return null;
      }
      if (json[i] == ',') {
        i++;
        continue;
      }
      if (json[i] != '"') {
        return null;
      }
      int end = stringEnd(json, i);
      if (end < 0) {
        return null;
      }
      String key = key(json, i, end);
      i = skipWhitespace(json, end + 1);
      if (i >= n || json[i] != ':') {
        return null;
      }
      i = skipWhitespace(json, i + 1);
      if (i >= n) {
        return null;
      }
      Kind declared = fields.get(key);
      if (declared == null) {
        return unknown(key);
      }
      int valueEnd = valueEnd(json, i);
      if (valueEnd < 0) {
        return null;
      }
      Kind got = kindAt(json, i, valueEnd);
      if (got == null) {
        return null;
      }
      if (!declared.accepts(got)) {
        return new ErrorDetail(
            "Invalid type for '"
                + key
                + "': expected "
                + declared.phrase
                + ", but got "
                + got.phrase
                + " instead.",
            "invalid_request_error",
            key,
            "invalid_type");
      }
      i = valueEnd;
    }
  }

  private ErrorDetail unknown(String key) {
    String message =
        responsesWording
            ? "Unknown parameter: '" + key + "'."
            : "Unrecognized request argument supplied: " + key;
    return new ErrorDetail(message, "invalid_request_error", key, "unknown_parameter");
  }

  private static java.lang.reflect.Field field(Class<?> type, RecordComponent c) {
    try {
      return type.getDeclaredField(c.getName());
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  static Kind kindOf(Class<?> t) {
    if (t == String.class) {
      return Kind.STRING;
    }
    if (t == Integer.class || t == Long.class || t == int.class || t == long.class) {
      return Kind.INTEGER;
    }
    if (t == Double.class || t == Float.class || t == double.class || t == float.class) {
      return Kind.NUMBER;
    }
    if (t == Boolean.class || t == boolean.class) {
      return Kind.BOOLEAN;
    }
    if (List.class.isAssignableFrom(t)) {
      return Kind.ARRAY;
    }
    if (Map.class.isAssignableFrom(t) || JsonObject.class.isAssignableFrom(t)) {
      return Kind.OBJECT;
    }
    if (JsonValue.class.isAssignableFrom(t) || t.isAnnotationPresent(JsonbTypeDeserializer.class)) {
      return Kind.ANY;
    }
    return t.isRecord() ? Kind.OBJECT : Kind.ANY;
  }

  private static int skipWhitespace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }

  /** The index of the closing quote of the string starting at {@code start}, or -1. */
  private static int stringEnd(byte[] b, int start) {
    for (int i = start + 1; i < b.length; i++) {
      if (b[i] == '\\') {
        i++;
      } else if (b[i] == '"') {
        return i;
      }
    }
    return -1;
  }

  private static String key(byte[] b, int start, int end) {
    for (int i = start + 1; i < end; i++) {
      if (b[i] == '\\') {
        // an escaped key (rare): let a JSON parser decode it
        String literal = new String(b, start, end - start + 1, StandardCharsets.UTF_8);
        try (JsonParser p = Json.createParser(new StringReader(literal))) {
          p.next();
          return p.getString();
        } catch (RuntimeException e) {
          return literal;
        }
      }
    }
    return new String(b, start + 1, end - start - 1, StandardCharsets.UTF_8);
  }

  /** The index just after the value starting at {@code i}, or -1 when it does not end. */
  private static int valueEnd(byte[] b, int i) {
    byte first = b[i];
    if (first == '"') {
      int end = stringEnd(b, i);
      return end < 0 ? -1 : end + 1;
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      for (int j = i; j < b.length; j++) {
        byte c = b[j];
        if (c == '"') {
          j = stringEnd(b, j);
          if (j < 0) {
            return -1;
          }
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return j + 1;
          }
        }
      }
      return -1;
    }
    int j = i;
    while (j < b.length
        && b[j] != ','
        && b[j] != '}'
        && b[j] != ']'
        && b[j] != ' '
        && b[j] != '\n'
        && b[j] != '\r'
        && b[j] != '\t') {
      j++;
    }
    return j;
  }

  private static Kind kindAt(byte[] b, int start, int end) {
    byte first = b[start];
    switch (first) {
      case '"':
        return Kind.STRING;
      case '{':
        return Kind.OBJECT;
      case '[':
        return Kind.ARRAY;
      case 't':
      case 'f':
        return Kind.BOOLEAN;
      case 'n':
        return Kind.NULL;
      default:
        if (first == '-' || (first >= '0' && first <= '9')) {
          for (int i = start; i < end; i++) {
            if (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
              return Kind.NUMBER;
            }
          }
          return Kind.INTEGER;
        }
        return null; // not JSON: the parser reports it
    }
  }
}
