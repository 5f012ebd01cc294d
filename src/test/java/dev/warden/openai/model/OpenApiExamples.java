package dev.warden.openai.model;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request and response examples of the official OpenAI OpenAPI description ({@code
 * paths.*.*.x-oaiMeta.examples}) for the operations Warden models, read from a trimmed copy on the
 * test classpath ({@value #RESOURCE}).
 *
 * <p>Request bodies live inside the {@code curl} sample ({@code -d '...'}); responses are strings.
 * Some bodies are illustrative rather than strict JSON (trailing commas, {@code ....} or {@code {
 * ... }} placeholders), which {@link #lenientJson(String)} cleans; streamed responses are SSE text
 * or a sequence of chunks and are not JSON at all.
 */
final class OpenApiExamples {

  /** The examples, trimmed from the upstream description (see the README.md beside it). */
  static final String RESOURCE = "/openai-openapi/examples.json";

  /** One example of an operation. */
  record Example(String operation, String title, String requestBody, String response) {}

  private static JsonObject spec;

  private OpenApiExamples() {}

  static synchronized JsonObject spec() {
    if (spec == null) {
      InputStream in = OpenApiExamples.class.getResourceAsStream(RESOURCE);
      if (in == null) {
        throw new IllegalStateException("The test resource " + RESOURCE + " is missing");
      }
      try (Reader file = new InputStreamReader(in, StandardCharsets.UTF_8);
          JsonReader reader = Json.createReader(file)) {
        spec = reader.readObject();
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + RESOURCE, e);
      }
    }
    return spec;
  }

  /** The examples of one operation, e.g. {@code ("/chat/completions", "post")}. */
  static List<Example> examples(String path, String method) {
    JsonObject paths = spec().getJsonObject("paths");
    JsonObject operation = paths.getJsonObject(path);
    if (operation == null || operation.getJsonObject(method) == null) {
      throw new IllegalStateException("The spec has no operation " + method + " " + path);
    }
    JsonObject meta = operation.getJsonObject(method).getJsonObject("x-oaiMeta");
    JsonValue examples = meta == null ? null : meta.get("examples");
    if (examples == null) {
      throw new IllegalStateException("The spec has no examples for " + method + " " + path);
    }
    List<JsonObject> list = new ArrayList<>();
    if (examples.getValueType() == JsonValue.ValueType.ARRAY) {
      examples.asJsonArray().forEach(example -> list.add(example.asJsonObject()));
    } else {
      list.add(examples.asJsonObject());
    }
    String operationName = method.toUpperCase() + " " + path;
    List<Example> result = new ArrayList<>();
    for (JsonObject example : list) {
      JsonValue request = example.get("request");
      String curl = null;
      if (request instanceof JsonString) {
        curl = ((JsonString) request).getString();
      } else if (request != null && request.getValueType() == JsonValue.ValueType.OBJECT) {
        curl = request.asJsonObject().getString("curl", null);
      }
      result.add(
          new Example(
              operationName,
              example.getString("title", "default"),
              curlBody(curl),
              example.getString("response", null)));
    }
    return result;
  }

  /** The JSON body of a curl sample ({@code -d '...'}), or null when it sends none. */
  static String curlBody(String curl) {
    if (curl == null) {
      return null;
    }
    int start = curl.indexOf("-d '");
    if (start < 0) {
      return null;
    }
    int end = curl.lastIndexOf('\'');
    return end > start + 4 ? curl.substring(start + 4, end) : null;
  }

  /**
   * The single JSON document of an example body after cleaning, or empty when the body is not one
   * JSON document (an event stream, a sequence of chunks).
   */
  static Optional<JsonValue> lenientJson(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
      return Optional.empty();
    }
    try (JsonParser parser = Json.createParser(new StringReader(clean(trimmed)))) {
      parser.next();
      JsonValue value = parser.getValue();
      return parser.hasNext() ? Optional.empty() : Optional.of(value);
    } catch (JsonParsingException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes what makes illustrative JSON invalid, outside of strings only: ellipsis placeholders
   * ({@code ....}, optionally followed by a parenthesised remark, with the comma after them) and
   * trailing commas.
   */
  static String clean(String text) {
    StringBuilder noEllipses = new StringBuilder(text.length());
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        noEllipses.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          noEllipses.append(text.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        noEllipses.append(c);
      } else if (text.startsWith("...", i)) {
        int j = i;
        while (j < text.length() && text.charAt(j) == '.') {
          j++;
        }
        int k = j;
        while (k < text.length() && text.charAt(k) == ' ') {
          k++;
        }
        if (k < text.length() && text.charAt(k) == '(' && text.indexOf(')', k) > 0) {
          j = text.indexOf(')', k) + 1;
        }
        // The separator after an inline placeholder ("1, ..., 2") goes with it.
        k = j;
        while (k < text.length() && Character.isWhitespace(text.charAt(k))) {
          k++;
        }
        if (k < text.length() && text.charAt(k) == ',') {
          j = k + 1;
        }
        i = j - 1;
      } else {
        noEllipses.append(c);
      }
    }
    String s = noEllipses.toString();
    StringBuilder out = new StringBuilder(s.length());
    inString = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < s.length()) {
          out.append(s.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '"') {
        inString = true;
      } else if (c == ',') {
        int next = i + 1;
        while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
          next++;
        }
        if (next < s.length() && (s.charAt(next) == '}' || s.charAt(next) == ']')) {
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}
