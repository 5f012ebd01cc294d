package dev.warden.ai.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
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
}
