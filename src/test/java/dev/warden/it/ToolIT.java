package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.service.AiService;
import dev.warden.ai.service.Prompt;
import dev.warden.ai.service.Tool;
import dev.warden.ai.service.ToolLoopException;
import dev.warden.ai.service.Var;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The tool loop in the container: an AI service offering an application bean's {@link Tool} methods
 * completes two rounds of tool calls (the first with parallel calls), each call id runs once, tool
 * results go upstream redacted and delimited, a loop that never ends stops at the service's
 * maximum, a slow tool times out, and a service without tools offers none.
 */
class ToolIT extends WardenIntegrationTest {

  /** The application's tools, with side effects counted. */
  @ApplicationScoped
  public static class OrderTools {
    private final List<String> lookups = new ArrayList<>();
    private final AtomicInteger refunds = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);

    @Tool(description = "Looks up an order and its customer's e-mail")
    public String lookupOrder(@Var("order") String order) {
      synchronized (lookups) {
        lookups.add(order);
      }
      return "order " + order + " of ada.lovelace@example.com, shipped";
    }

    @Tool(description = "Refunds an order")
    public String refund(@Var("order") String order, @Var("amount") double amount) {
      refunds.incrementAndGet();
      return "refunded " + amount;
    }

    @Tool(description = "Asks the warehouse", timeoutMillis = 200)
    public String askWarehouse(@Var("order") String order) throws InterruptedException {
      never.await(3, TimeUnit.SECONDS);
      return "too late";
    }

    public List<String> lookups() {
      synchronized (lookups) {
        return List.copyOf(lookups);
      }
    }

    public int refunds() {
      return refunds.get();
    }

    public void clear() {
      synchronized (lookups) {
        lookups.clear();
      }
      refunds.set(0);
    }
  }

  @AiService(model = "gpt-4o-mini", tools = OrderTools.class, maxToolRounds = 3)
  public interface OrderDesk {
    @Prompt(id = "support-reply", version = "1.0.0")
    String handle(@Var("customer") String customer, @Var("question") String question);
  }

  @AiService(model = "gpt-4o-mini")
  public interface PlainDesk {
    @Prompt(id = "support-reply", version = "1.0.0")
    String handle(@Var("customer") String customer, @Var("question") String question);
  }

  @ApplicationScoped
  public static class Shop {
    @Inject OrderDesk orders;
    @Inject PlainDesk plain;

    public OrderDesk orders() {
      return orders;
    }

    public PlainDesk plain() {
      return plain;
    }
  }

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden()
        .addClasses(OrderTools.class, OrderDesk.class, PlainDesk.class, Shop.class);
  }

  @Inject Shop shop;
  @Inject OrderTools tools;

  private static JsonObjectBuilder call(String id, String name, String arguments) {
    return Json.createObjectBuilder()
        .add("id", id)
        .add("type", "function")
        .add("function", Json.createObjectBuilder().add("name", name).add("arguments", arguments));
  }

  /** The mock proposes {@code calls} to chat requests whose body matches {@code patterns}. */
  private void propose(JsonArrayBuilder patterns, JsonObjectBuilder... calls) {
    JsonArrayBuilder toolCalls = Json.createArrayBuilder();
    for (JsonObjectBuilder c : calls) {
      toolCalls.add(c);
    }
    JsonObject body =
        Json.createObjectBuilder()
            .add("id", "chatcmpl-tools")
            .add("object", "chat.completion")
            .add("created", 1)
            .add("model", "gpt-4o-mini")
            .add(
                "choices",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("index", 0)
                            .add("finish_reason", "tool_calls")
                            .add(
                                "message",
                                Json.createObjectBuilder()
                                    .add("role", "assistant")
                                    .addNull("content")
                                    .add("tool_calls", toolCalls))))
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("prompt_tokens", 10)
                    .add("completion_tokens", 5)
                    .add("total_tokens", 15))
            .build();
    mock.stub(
        MockAdmin.request("POST", CHAT).add("bodyPatterns", patterns),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", body.toString()));
  }

  private static JsonObjectBuilder matches(String regex) {
    return Json.createObjectBuilder().add("matches", regex);
  }

  private static JsonObjectBuilder doesNotMatch(String regex) {
    return Json.createObjectBuilder().add("doesNotMatch", regex);
  }

  private List<String> sentBodies() {
    return mock.find(MockAdmin.request("POST", CHAT)).stream()
        .map(r -> r.getString("body"))
        .toList();
  }

  @Test
  void aToolUsingServiceCompletesATwoRoundToolLoop() {
    tools.clear();
    // call ids of this run: each is claimed in the database once, and the database may be an
    // earlier run's
    String run = Long.toString(System.nanoTime(), 36);
    String a = "call_a" + run;
    String r = "call_r" + run;
    // round 1: two lookups in parallel
    propose(
        Json.createArrayBuilder().add(doesNotMatch("(?s).*tool_call_id.*")),
        call(a, "lookupOrder", "{\"order\":\"o-1\"}"),
        call("call_b" + run, "lookupOrder", "{\"order\":\"o-2\"}"));
    // round 2: a refund, and call_a proposed again (it must not run twice)
    propose(
        Json.createArrayBuilder()
            .add(matches("(?s).*" + a + ".*"))
            .add(doesNotMatch("(?s).*" + r + ".*")),
        call(a, "lookupOrder", "{\"order\":\"o-1\"}"),
        call(r, "refund", "{\"order\":\"o-1\",\"amount\":5}"));

    String answer = shop.orders().handle("Ada", "Refund my order o-1 please");

    assertTrue(answer.startsWith("Mock answer using tool results:"), answer);
    List<String> bodies = sentBodies();
    assertEquals(3, bodies.size());
    assertEquals(List.of("o-1", "o-2"), tools.lookups().stream().sorted().toList());
    assertEquals(1, tools.refunds());
    String last = bodies.stream().filter(b -> b.contains(r)).findFirst().orElseThrow();
    assertTrue(last.contains("untrusted_content"), "tool results are delimited");
    assertFalse(last.contains("ada.lovelace@example.com"), "tool results are redacted");
    JsonObject first = Json.createReader(new StringReader(bodies.get(0))).readObject();
    assertEquals(3, first.getJsonArray("tools").size());
    assertTrue(
        first
            .getJsonArray("tools")
            .getJsonObject(0)
            .getJsonObject("function")
            .getBoolean("strict"));
  }

  @Test
  void aLoopThatNeverEndsStopsAtTheMaximumAndRunsEachCallIdOnce() {
    tools.clear();
    propose(
        Json.createArrayBuilder().add(matches("(?s).*")),
        call("call_loop" + System.nanoTime(), "lookupOrder", "{\"order\":\"o-9\"}"));

    assertThrows(ToolLoopException.class, () -> shop.orders().handle("Ada", "Loop"));

    assertEquals(4, sentBodies().size());
    assertEquals(List.of("o-9"), tools.lookups());
  }

  @Test
  void aSlowToolTimesOutAndTheModelIsToldSo() {
    propose(
        Json.createArrayBuilder().add(doesNotMatch("(?s).*tool_call_id.*")),
        call("call_w" + System.nanoTime(), "askWarehouse", "{\"order\":\"o-3\"}"));

    String answer = shop.orders().handle("Ada", "Where is o-3?");

    assertTrue(answer.startsWith("Mock answer using tool results:"), answer);
    assertTrue(
        sentBodies().stream().anyMatch(b -> b.contains("did not answer within 200 ms")),
        "the model reads the timeout");
  }

  @Test
  void toolsAreOfferedPerServiceNotGlobally() {
    String answer = shop.plain().handle("Ada", "Hello");

    assertTrue(answer.startsWith("Mock answer to:"), answer);
    JsonObject sent = Json.createReader(new StringReader(sentBodies().get(0))).readObject();
    assertFalse(sent.containsKey("tools"));
  }
}
