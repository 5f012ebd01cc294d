package dev.warden.gateway.api;

import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;

/** Fields of the {@code /api} views that may be absent: JSON {@code null} rather than left out. */
final class JsonFields {

  private JsonFields() {}

  /**
   * Adds {@code value} as {@code name}: {@code null} as JSON null, an amount as a plain decimal
   * string, a whole number as a number, anything else as its text.
   */
  static void nullable(JsonObjectBuilder o, String name, Object value) {
    if (value == null) {
      o.addNull(name);
    } else if (value instanceof BigDecimal d) {
      o.add(name, d.stripTrailingZeros().toPlainString());
    } else if (value instanceof Long l) {
      o.add(name, l);
    } else {
      o.add(name, value.toString());
    }
  }
}
