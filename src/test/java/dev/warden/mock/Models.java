package dev.warden.mock;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: a fixed catalogue. */
final class Models {
  /** Model id → creation time (fixed, so the list is deterministic). */
  static final Map<String, Long> MODELS = new LinkedHashMap<>();

  static {
    MODELS.put("gpt-4o", 1715367049L);
    MODELS.put("gpt-4o-mini", 1721172741L);
    MODELS.put("gpt-4.1", 1744316542L);
    MODELS.put("gpt-4.1-mini", 1744318173L);
    MODELS.put("gpt-4.1-nano", 1744321707L);
    MODELS.put("gpt-5", 1754425777L);
    MODELS.put("gpt-5-mini", 1754425928L);
    MODELS.put("o4-mini", 1744225351L);
    MODELS.put("text-embedding-3-small", 1705948997L);
    MODELS.put("text-embedding-3-large", 1705953180L);
  }

  private Models() {}

  static JsonObject list() {
    JsonArrayBuilder data = JsonSupport.JSON.createArrayBuilder();
    MODELS.keySet().forEach(id -> data.add(model(id)));
    return JsonSupport.JSON.createObjectBuilder().add("object", "list").add("data", data).build();
  }

  static JsonObject retrieve(String id) {
    if (!MODELS.containsKey(id)) {
      throw new ApiException(
          404,
          "invalid_request_error",
          "The model '" + id + "' does not exist or you do not have access to it.",
          "model",
          "model_not_found");
    }
    return model(id);
  }

  private static JsonObject model(String id) {
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("id", id)
        .add("object", "model")
        .add("created", MODELS.get(id))
        .add("owned_by", "openai")
        .build();
  }
}
