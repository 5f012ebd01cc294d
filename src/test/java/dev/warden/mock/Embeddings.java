package dev.warden.mock;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * {@code POST /v1/embeddings}: unit-length vectors seeded by the SHA-256 of each input, so equal
 * inputs give equal vectors and different inputs (almost surely) different ones.
 */
final class Embeddings {
  private Embeddings() {}

  static int nativeDimensions(String model) {
    return "text-embedding-3-large".equals(model) ? 3072 : 1536;
  }

  static JsonObject create(JsonObject body) {
    String model = JsonSupport.requireModel(body);
    List<String> inputs = inputs(body.get("input"));
    int dims = nativeDimensions(model);
    Integer requested = JsonSupport.integer(body, "dimensions");
    if (requested != null) {
      if (requested < 1 || requested > dims) {
        throw ApiException.invalid(
            "dimensions",
            "Invalid 'dimensions': must be between 1 and " + dims + " for model " + model + ".",
            "invalid_value");
      }
      dims = requested;
    }
    String encoding = JsonSupport.string(body, "encoding_format");
    if (encoding != null && !"float".equals(encoding) && !"base64".equals(encoding)) {
      throw ApiException.invalid(
          "encoding_format",
          "Invalid value: '" + encoding + "'. Supported values are: 'float' and 'base64'.",
          "invalid_value");
    }
    boolean base64 = "base64".equals(encoding);
    JsonArrayBuilder data = JsonSupport.JSON.createArrayBuilder();
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      String text = inputs.get(i);
      tokens += JsonSupport.tokens(text);
      float[] vector = vector(text, dims);
      JsonValue embedding;
      if (base64) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * dims).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
          buffer.putFloat(f);
        }
        embedding =
            JsonSupport.JSON.createValue(Base64.getEncoder().encodeToString(buffer.array()));
      } else {
        JsonArrayBuilder floats = JsonSupport.JSON.createArrayBuilder();
        for (float f : vector) {
          floats.add(Double.parseDouble(Float.toString(f)));
        }
        embedding = floats.build();
      }
      data.add(
          JsonSupport.JSON
              .createObjectBuilder()
              .add("object", "embedding")
              .add("index", i)
              .add("embedding", embedding));
    }
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("object", "list")
        .add("data", data)
        .add("model", model)
        .add(
            "usage",
            JsonSupport.JSON
                .createObjectBuilder()
                .add("prompt_tokens", tokens)
                .add("total_tokens", tokens))
        .build();
  }

  /** The deterministic unit vector of {@code text} with {@code dims} dimensions. */
  static float[] vector(String text, int dims) {
    byte[] digest = JsonSupport.sha256(text);
    long seed = ByteBuffer.wrap(digest).getLong();
    Random random = new Random(seed);
    double[] raw = new double[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      raw[i] = random.nextGaussian();
      norm += raw[i] * raw[i];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dims];
    for (int i = 0; i < dims; i++) {
      out[i] = (float) (raw[i] / norm);
    }
    return out;
  }

  /** {@code input}: a string, strings, a token array or token arrays (tokens become text). */
  private static List<String> inputs(JsonValue input) {
    if (input == null || input.getValueType() == JsonValue.ValueType.NULL) {
      throw ApiException.invalid(
          "input", "Missing required parameter: 'input'.", "missing_required_parameter");
    }
    List<String> out = new ArrayList<>();
    if (input instanceof JsonString) {
      out.add(((JsonString) input).getString());
    } else if (input.getValueType() == JsonValue.ValueType.ARRAY) {
      JsonArray array = input.asJsonArray();
      if (!array.isEmpty() && array.get(0) instanceof JsonNumber) {
        out.add(tokenText(array));
      } else {
        for (JsonValue v : array) {
          if (v instanceof JsonString) {
            out.add(((JsonString) v).getString());
          } else if (v.getValueType() == JsonValue.ValueType.ARRAY) {
            out.add(tokenText(v.asJsonArray()));
          } else {
            throw ApiException.invalid(
                "input", "Invalid 'input': expected strings or arrays of tokens.", "invalid_type");
          }
        }
      }
    } else {
      throw ApiException.invalid(
          "input", "Invalid type for 'input': expected a string or an array.", "invalid_type");
    }
    if (out.isEmpty()) {
      throw ApiException.invalid(
          "input", "Invalid 'input': empty array. Expected at least one input.", "empty_array");
    }
    for (String s : out) {
      if (s.isEmpty()) {
        throw ApiException.invalid(
            "input",
            "Invalid 'input': empty string. Expected a non-empty string.",
            "invalid_value");
      }
    }
    return out;
  }

  private static String tokenText(JsonArray tokens) {
    StringBuilder sb = new StringBuilder();
    for (JsonValue t : tokens) {
      if (!(t instanceof JsonNumber)) {
        throw ApiException.invalid(
            "input", "Invalid 'input': token arrays must hold integers.", "invalid_type");
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(((JsonNumber) t).longValue());
    }
    return sb.toString();
  }
}
