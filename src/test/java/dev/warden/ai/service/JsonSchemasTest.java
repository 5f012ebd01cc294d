package dev.warden.ai.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Nullable;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbProperty;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

  enum Priority {
    LOW,
    HIGH
  }

  record Address(String city, @Nullable String zip) {}

  record Triage(
      String summary,
      Priority priority,
      int score,
      double confidence,
      boolean urgent,
      List<String> tags,
      Optional<String> owner,
      Address address,
      @JsonbProperty("due_on") LocalDate due) {}

  static final class Plain {
    String name;
    static int ignoredStatic;
    transient int ignoredTransient;
  }

  record WithIntKeys(Map<Integer, String> values) {}

  @SuppressWarnings("rawtypes")
  record WithRawMap(Map values) {}

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  @Test
  void aRecordBecomesAStrictObjectWithEveryPropertyRequired() {
    JsonObject expected =
        json(
            "{\"type\":\"object\",\"properties\":{"
                + "\"summary\":{\"type\":\"string\"},"
                + "\"priority\":{\"type\":\"string\",\"enum\":[\"LOW\",\"HIGH\"]},"
                + "\"score\":{\"type\":\"integer\"},"
                + "\"confidence\":{\"type\":\"number\"},"
                + "\"urgent\":{\"type\":\"boolean\"},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                + "\"owner\":{\"type\":[\"string\",\"null\"]},"
                + "\"address\":{\"type\":\"object\",\"properties\":{"
                + "\"city\":{\"type\":\"string\"},\"zip\":{\"type\":[\"string\",\"null\"]}},"
                + "\"required\":[\"city\",\"zip\"],\"additionalProperties\":false},"
                + "\"due_on\":{\"type\":\"string\",\"format\":\"date\"}},"
                + "\"required\":[\"summary\",\"priority\",\"score\",\"confidence\",\"urgent\","
                + "\"tags\",\"owner\",\"address\",\"due_on\"],"
                + "\"additionalProperties\":false}");

    assertEquals(expected, JsonSchemas.of(Triage.class));
  }

  @Test
  void aClassContributesItsInstanceFields() {
    assertEquals(
        json(
            "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                + "\"required\":[\"name\"],\"additionalProperties\":false}"),
        JsonSchemas.of(Plain.class));
  }

  @Test
  void aNullableEnumAllowsNullAmongItsValues() {
    JsonObject schema =
        JsonSchemas.object(
            new String[] {"p"},
            new java.lang.reflect.Type[] {Priority.class},
            new boolean[] {true});
    assertEquals(
        json("{\"type\":[\"string\",\"null\"],\"enum\":[\"LOW\",\"HIGH\",null]}"),
        schema.getJsonObject("properties").getJsonObject("p"));
  }

  @Test
  void nonObjectRootsAndMapsWithoutStringKeysAreRefused() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> JsonSchemas.of(WithIntKeys.class))
            .getMessage()
            .contains("WithIntKeys.values"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> JsonSchemas.of(WithRawMap.class))
            .getMessage()
            .contains("WithRawMap.values"));
    assertThrows(IllegalArgumentException.class, () -> JsonSchemas.of(String.class));
    assertThrows(IllegalArgumentException.class, () -> JsonSchemas.of(Priority.class));
    assertThrows(IllegalArgumentException.class, () -> JsonSchemas.of(Map.class));
  }
}
