package dev.warden.gateway.api;

import dev.warden.config.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * Offset pagination of {@code /api} lists: {@code offset} (default 0) and {@code limit} (1 to
 * {@value #MAX}, default 50); a list answers {@code {"data": [...], "offset", "limit", "has_more",
 * "next_offset"}}.
 */
public record Page(int offset, int limit) {

  /** The largest page. */
  public static final int MAX = 500;

  /** A checked page. */
  public static Page of(int offset, int limit) {
    if (offset < 0) {
      throw ProblemException.badParameter("offset", "must not be negative");
    }
    if (limit < 1 || limit > MAX) {
      throw ProblemException.badParameter("limit", "must be 1 to " + MAX);
    }
    return new Page(offset, limit);
  }

  /** The list answer around {@code data} (at most {@link #limit} items). */
  public JsonObject wrap(JsonArrayBuilder data, boolean hasMore) {
    var o =
        Jsonp.createObjectBuilder()
            .add("data", data)
            .add("offset", offset)
            .add("limit", limit)
            .add("has_more", hasMore);
    if (hasMore) {
      o.add("next_offset", offset + limit);
    } else {
      o.addNull("next_offset");
    }
    return o.build();
  }
}
