package dev.warden.mock;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Random;

/** Small JSON-P helpers, ids and token arithmetic shared by the mock's handlers. */
final class JsonSupport {
  /** The JSON-P provider, looked up once (Json.* would look it up on every call). */
  static final JsonProvider JSON = JsonProvider.provider();

  private static final Random RANDOM = new SecureRandom();
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private JsonSupport() {}

  /** Parses a JSON request body that must be an object; anything else is a 400 like OpenAI's. */
  static JsonObject parseBody(String body) {
    if (body == null || body.isBlank()) {
      throw ApiException.invalid(
          null,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
              + " using your HTTP library correctly. The OpenAI API expects a JSON payload, but what"
              + " was sent was not valid JSON.)");
    }
    try (JsonReader reader = JSON.createReader(new StringReader(body))) {
      JsonStructure structure = reader.read();
      if (structure.getValueType() != JsonValue.ValueType.OBJECT) {
        throw ApiException.invalid(null, "The request body must be a JSON object.");
      }
      return structure.asJsonObject();
    } catch (JsonParsingException e) {
      throw ApiException.invalid(
          null,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
              + " using your HTTP library correctly. The OpenAI API expects a JSON payload, but what"
              + " was sent was not valid JSON.)");
    } catch (JsonException e) {
      throw ApiException.invalid(null, "We could not parse the JSON body of your request.");
    }
  }

  static JsonObject parseObjectOrNull(String text) {
    try (JsonReader reader = JSON.createReader(new StringReader(text))) {
      JsonValue value = reader.readValue();
      return value.getValueType() == JsonValue.ValueType.OBJECT ? value.asJsonObject() : null;
    } catch (JsonException e) {
      return null;
    }
  }

  static boolean has(JsonObject o, String key) {
    return o != null && o.containsKey(key) && o.get(key).getValueType() != JsonValue.ValueType.NULL;
  }

  /** The string at {@code key}, or null when absent, null or not a string. */
  static String string(JsonObject o, String key) {
    if (o == null) {
      return null;
    }
    JsonValue v = o.get(key);
    return v instanceof JsonString ? ((JsonString) v).getString() : null;
  }

  static JsonObject object(JsonObject o, String key) {
    if (o == null) {
      return null;
    }
    JsonValue v = o.get(key);
    return v != null && v.getValueType() == JsonValue.ValueType.OBJECT ? v.asJsonObject() : null;
  }

  static JsonArray array(JsonObject o, String key) {
    if (o == null) {
      return null;
    }
    JsonValue v = o.get(key);
    return v != null && v.getValueType() == JsonValue.ValueType.ARRAY ? v.asJsonArray() : null;
  }

  /** The boolean at {@code key}; {@code def} when absent or null; 400 when of another type. */
  static boolean bool(JsonObject o, String key, boolean def) {
    JsonValue v = o == null ? null : o.get(key);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return def;
    }
    if (v.getValueType() == JsonValue.ValueType.TRUE) {
      return true;
    }
    if (v.getValueType() == JsonValue.ValueType.FALSE) {
      return false;
    }
    throw ApiException.invalid(
        key, "Invalid type for '" + key + "': expected a boolean.", "invalid_type");
  }

  /** The integer at {@code key}; null when absent or null; 400 when not an integer. */
  static Integer integer(JsonObject o, String key) {
    JsonValue v = o == null ? null : o.get(key);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonNumber && ((JsonNumber) v).isIntegral()) {
      return ((JsonNumber) v).intValue();
    }
    throw ApiException.invalid(
        key, "Invalid type for '" + key + "': expected an integer.", "invalid_type");
  }

  /** The value at {@code key}, or {@code def} when absent or JSON null. */
  static JsonValue valueOr(JsonObject o, String key, JsonValue def) {
    JsonValue v = o == null ? null : o.get(key);
    return v == null || v.getValueType() == JsonValue.ValueType.NULL ? def : v;
  }

  static JsonValue stringOrNull(String s) {
    return s == null ? JsonValue.NULL : JSON.createValue(s);
  }

  static JsonValue longOrNull(Long l) {
    return l == null ? JsonValue.NULL : JSON.createValue(l);
  }

  static void addNullable(JsonObjectBuilder b, String key, String value) {
    if (value == null) {
      b.addNull(key);
    } else {
      b.add(key, value);
    }
  }

  /** The model name from the body: required, a non-empty string. */
  static String requireModel(JsonObject body) {
    JsonValue v = body.get("model");
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      throw ApiException.invalid(
          "model", "you must provide a model parameter", "missing_required_parameter");
    }
    if (!(v instanceof JsonString) || ((JsonString) v).getString().isBlank()) {
      throw ApiException.invalid("model", "Invalid 'model': expected a non-empty string.");
    }
    return ((JsonString) v).getString();
  }

  // ---- tokens ---------------------------------------------------------------------------

  /** The mock's tokenizer: ceil(chars / 4). */
  static int tokens(String text) {
    return text == null ? 0 : (text.length() + 3) / 4;
  }

  static String first(String text, int chars) {
    if (text == null) {
      return "";
    }
    if (text.length() <= chars) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
    return text.substring(0, end);
  }

  /** Models the mock treats as reasoning models: they report reasoning tokens. */
  static boolean isReasoningModel(String model) {
    return model.startsWith("o") || model.startsWith("gpt-5");
  }

  // ---- ids and time ---------------------------------------------------------------------

  static String hexId(String prefix, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = HEX[RANDOM.nextInt(HEX.length)];
    }
    return prefix + new String(chars);
  }

  static String alnumId(String prefix, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALNUM[RANDOM.nextInt(ALNUM.length)];
    }
    return prefix + new String(chars);
  }

  static long now() {
    return System.currentTimeMillis() / 1000L;
  }

  /** A stable fingerprint for a model: {@code fp_} and 10 hex digits of its SHA-256. */
  static String fingerprint(String model) {
    byte[] digest = sha256(model);
    StringBuilder sb = new StringBuilder("fp_");
    for (int i = 0; i < 5; i++) {
      sb.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
    }
    return sb.toString();
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Splits {@code text} into pieces of {@code size} chars (at least one piece, maybe empty). */
  static java.util.List<String> pieces(String text, int size) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = Math.min(text.length(), i + size);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++;
      }
      out.add(text.substring(i, end));
      i = end;
    }
    if (out.isEmpty()) {
      out.add("");
    }
    return out;
  }
}
