package dev.warden.ai.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolMethodTest {

  public enum Reason {
    DAMAGED,
    LATE
  }

  public record Refund(String order, double amount) {}

  public static class Tools {
    @Tool(description = "Looks up an order", timeoutMillis = 500)
    public String lookupOrder(@Var("order") String order) {
      return "order " + order;
    }

    @Tool(name = "refund")
    public Refund refund(
        @Var("order") String order, @Var("amount") double amount, @Var("reasons") List<Reason> r) {
      return new Refund(order, amount);
    }

    public String notATool() {
      return "";
    }
  }

  public record Shelf(String name, List<Shelf> below) {}

  public static class Stocktaking {
    @Tool
    public String record(@Var("shelf") Shelf shelf, @Var("counts") Map<String, Integer> counts) {
      return shelf.name() + counts;
    }
  }

  public static class Unnamed {
    @Tool
    public String f(String x) {
      return x;
    }
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  @Test
  void toolMethodsGetStrictSchemasOfTheirParameters() {
    List<ToolMethod> tools = ToolMethod.of(Tools.class);

    assertEquals(2, tools.size());
    ToolMethod refund = tools.stream().filter(t -> t.name().equals("refund")).findFirst().get();
    assertEquals(
        json(
            "{\"type\":\"object\",\"properties\":{\"order\":{\"type\":\"string\"},"
                + "\"amount\":{\"type\":\"number\"},\"reasons\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"string\",\"enum\":[\"DAMAGED\",\"LATE\"]}}},"
                + "\"required\":[\"order\",\"amount\",\"reasons\"],"
                + "\"additionalProperties\":false}"),
        refund.schema());
    ToolMethod lookup =
        tools.stream().filter(t -> t.name().equals("lookupOrder")).findFirst().get();
    assertEquals("Looks up an order", lookup.description());
    assertEquals(500, lookup.timeoutMillis());
  }

  @Test
  void argumentsAreBoundFromTheCallsJsonAndResultsWrittenAsJson() {
    ToolMethod refund =
        ToolMethod.of(Tools.class).stream()
            .filter(t -> t.name().equals("refund"))
            .findFirst()
            .get();

    Object[] args =
        refund.arguments(json("{\"order\":\"o-1\",\"amount\":12.5,\"reasons\":[\"LATE\"]}"));

    assertArrayEquals(new Object[] {"o-1", 12.5, List.of(Reason.LATE)}, args);
    assertEquals(
        "{\"amount\":12.5,\"order\":\"o-1\"}", ToolMethod.resultText(new Refund("o-1", 12.5)));
    assertEquals("plain", ToolMethod.resultText("plain"));
  }

  @Test
  void unnamedParametersAndClassesWithoutToolsAreRefused() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ToolMethod.of(Unnamed.class))
            .getMessage()
            .contains("@Var"));
    assertThrows(IllegalArgumentException.class, () -> ToolMethod.of(String.class));
  }

  @Test
  void recursiveAndMapParametersAreDefinedAndBoundBack() {
    ToolMethod tool = ToolMethod.of(Stocktaking.class).get(0);

    assertEquals(
        json("{\"$ref\":\"#/$defs/Shelf\"}"),
        tool.schema().getJsonObject("properties").get("shelf"));
    assertEquals(
        "array",
        tool.schema().getJsonObject("properties").getJsonObject("counts").getString("type"));
    Object[] args =
        tool.arguments(
            json(
                "{\"shelf\":{\"name\":\"top\",\"below\":[{\"name\":\"low\",\"below\":[]}]},"
                    + "\"counts\":[{\"key\":\"nails\",\"value\":40}]}"));
    assertEquals(new Shelf("top", List.of(new Shelf("low", List.of()))), args[0]);
    assertEquals(Map.of("nails", 40), args[1]);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            tool.arguments(
                json(
                    "{\"shelf\":{\"name\":\"top\",\"below\":[]},\"counts\":"
                        + "[{\"key\":\"a\",\"value\":1},{\"key\":\"a\",\"value\":2}]}")));
  }
}
