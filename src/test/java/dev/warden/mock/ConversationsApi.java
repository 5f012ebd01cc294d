package dev.warden.mock;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Conversations API, in memory: create (with initial items), retrieve, update its metadata,
 * delete; list, add, retrieve and delete its items. A response created with {@code conversation}
 * reads the conversation's items as its context and appends its input and output items ({@link
 * ResponsesApi}).
 */
final class ConversationsApi {

  private static final int MAX_ITEMS_PER_CALL = 20;

  private final Map<String, Stored> store = new ConcurrentHashMap<>();

  void clear() {
    store.clear();
  }

  /** A stored conversation: metadata and items, oldest first. */
  static final class Stored {
    final String id;
    final long createdAt;
    JsonObject metadata;
    final List<JsonObject> items = new ArrayList<>();

    Stored(String id, long createdAt, JsonObject metadata) {
      this.id = id;
      this.createdAt = createdAt;
      this.metadata = metadata;
    }

    synchronized List<JsonObject> items() {
      return List.copyOf(items);
    }

    synchronized void append(List<JsonObject> more) {
      items.addAll(more);
    }

    synchronized JsonObject render() {
      return JsonSupport.JSON
          .createObjectBuilder()
          .add("id", id)
          .add("object", "conversation")
          .add("created_at", createdAt)
          .add("metadata", metadata)
          .build();
    }
  }

  /** {@code POST /v1/conversations}. */
  JsonObject create(JsonObject body) {
    JsonObject metadata = metadata(body, false);
    List<JsonObject> items = items(body, "items", false);
    Stored c = new Stored(JsonSupport.hexId("conv_", 48), JsonSupport.now(), metadata);
    c.append(items);
    store.put(c.id, c);
    return c.render();
  }

  /** {@code GET /v1/conversations/{id}}. */
  JsonObject retrieve(String id) {
    return find(id).render();
  }

  /** {@code POST /v1/conversations/{id}}: replaces the metadata. */
  JsonObject update(String id, JsonObject body) {
    Stored c = find(id);
    JsonObject metadata = metadata(body, true);
    synchronized (c) {
      c.metadata = metadata;
    }
    return c.render();
  }

  /** {@code DELETE /v1/conversations/{id}}. */
  JsonObject delete(String id) {
    if (store.remove(id) == null) {
      throw notFound(id);
    }
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("id", id)
        .add("object", "conversation.deleted")
        .add("deleted", true)
        .build();
  }

  /** {@code POST /v1/conversations/{id}/items}: the added items as a list. */
  JsonObject addItems(String id, JsonObject body) {
    Stored c = find(id);
    List<JsonObject> items = items(body, "items", true);
    c.append(items);
    return list(items, 0, items.size(), false);
  }

  /** {@code GET /v1/conversations/{id}/items} with {@code limit}, {@code order}, {@code after}. */
  JsonObject listItems(String id, Integer limit, String order, String after) {
    List<JsonObject> items = new ArrayList<>(find(id).items());
    if (order == null || "desc".equals(order)) {
      Collections.reverse(items);
    } else if (!"asc".equals(order)) {
      throw ApiException.invalid(
          "order",
          "Invalid value: '" + order + "'. Supported values are: 'asc' and 'desc'.",
          "invalid_value");
    }
    int pageSize = limit == null ? 20 : limit;
    if (pageSize < 1 || pageSize > 100) {
      throw ApiException.invalid(
          "limit", "Invalid 'limit': must be between 1 and 100.", "invalid_value");
    }
    int start = 0;
    if (after != null) {
      start = -1;
      for (int i = 0; i < items.size(); i++) {
        if (after.equals(JsonSupport.string(items.get(i), "id"))) {
          start = i + 1;
          break;
        }
      }
      if (start < 0) {
        throw ApiException.invalid("after", "No item found with id '" + after + "'.");
      }
    }
    int end = Math.min(items.size(), start + pageSize);
    return list(items, start, end, end < items.size());
  }

  /** {@code GET /v1/conversations/{id}/items/{item_id}}. */
  JsonObject item(String id, String itemId) {
    return find(id).items().stream()
        .filter(i -> itemId.equals(JsonSupport.string(i, "id")))
        .findFirst()
        .orElseThrow(() -> itemNotFound(itemId));
  }

  /** {@code DELETE /v1/conversations/{id}/items/{item_id}}: answers the conversation. */
  JsonObject deleteItem(String id, String itemId) {
    Stored c = find(id);
    synchronized (c) {
      if (!c.items.removeIf(i -> itemId.equals(JsonSupport.string(i, "id")))) {
        throw itemNotFound(itemId);
      }
    }
    return c.render();
  }

  /** The conversation a response names, for its context; 404 if there is none. */
  Stored forResponse(String id) {
    Stored c = store.get(id);
    if (c == null) {
      throw ApiException.notFound("conversation", "Conversation with id '" + id + "' not found.");
    }
    return c;
  }

  private Stored find(String id) {
    Stored c = store.get(id);
    if (c == null) {
      throw notFound(id);
    }
    return c;
  }

  private static JsonObject list(List<JsonObject> items, int start, int end, boolean more) {
    JsonArrayBuilder data = JsonSupport.JSON.createArrayBuilder();
    for (int i = start; i < end; i++) {
      data.add(items.get(i));
    }
    JsonObjectBuilder list =
        JsonSupport.JSON.createObjectBuilder().add("object", "list").add("data", data);
    if (end > start) {
      list.add("first_id", JsonSupport.string(items.get(start), "id"))
          .add("last_id", JsonSupport.string(items.get(end - 1), "id"));
    } else {
      list.addNull("first_id").addNull("last_id");
    }
    return list.add("has_more", more).build();
  }

  private static JsonObject metadata(JsonObject body, boolean required) {
    JsonValue v = body.get("metadata");
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      if (required) {
        throw ApiException.invalid(
            "metadata", "Missing required parameter: 'metadata'.", "missing_required_parameter");
      }
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw ApiException.invalid(
          "metadata", "Invalid type for 'metadata': expected an object.", "invalid_type");
    }
    return v.asJsonObject();
  }

  private static List<JsonObject> items(JsonObject body, String key, boolean required) {
    JsonValue v = body.get(key);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      if (required) {
        throw ApiException.invalid(
            key, "Missing required parameter: '" + key + "'.", "missing_required_parameter");
      }
      return List.of();
    }
    if (v.getValueType() != JsonValue.ValueType.ARRAY) {
      throw ApiException.invalid(
          key, "Invalid type for '" + key + "': expected an array.", "invalid_type");
    }
    JsonArray array = v.asJsonArray();
    if (array.size() > MAX_ITEMS_PER_CALL) {
      throw ApiException.invalid(
          key,
          "Invalid '" + key + "': array too long. Expected an array with maximum length 20.",
          "array_above_max_length");
    }
    List<JsonObject> items = new ArrayList<>();
    for (JsonValue item : ResponsesApi.normalizeInput(array)) {
      items.add(item.asJsonObject());
    }
    return items;
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound(null, "Conversation with id '" + id + "' not found.");
  }

  private static ApiException itemNotFound(String id) {
    return ApiException.notFound(null, "Item with id '" + id + "' not found.");
  }
}
