package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.service.AiService;
import dev.warden.ai.service.Prompt;
import dev.warden.ai.service.Tool;
import dev.warden.ai.service.Var;
import dev.warden.call.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The tool loop on the Responses API in the container: an AI service declared with {@code api =
 * RESPONSES} offers strict function tools, the upstream's parallel {@code function_call} items are
 * run and answered with {@code function_call_output} items of the same {@code call_id}s, the final
 * text comes back, and a call id already run for a caller is claimed in the database and not run
 * again for that caller, while another caller's same id is its own.
 */
class ResponsesToolIT extends WardenIntegrationTest {

  static final String RESPONSES = "/v1/responses";

  /** The application's tools, with their calls counted. */
  @ApplicationScoped
  public static class ParcelTools {
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger quotes = new AtomicInteger();

    @Tool(description = "Where a parcel is")
    public String locate(@Var("parcel") String parcel) {
      lookups.incrementAndGet();
      return "parcel " + parcel + " is in Lyon";
    }

    @Tool(description = "The price of sending a parcel")
    public String quote(@Var("parcel") String parcel, @Var("express") boolean express) {
      quotes.incrementAndGet();
      return express ? "12 EUR" : "7 EUR";
    }

    public int lookups() {
      return lookups.get();
    }

    public int quotes() {
      return quotes.get();
    }
  }

  /** A typed answer of the tool loop. */
  public record ParcelStatus(String parcel, String city, int priceEur) {}

  @AiService(
      model = "gpt-4o-mini",
      tools = ParcelTools.class,
      maxToolRounds = 3,
      api = AiService.Api.RESPONSES)
  public interface ParcelDesk {
    @Prompt(id = "support-reply", version = "1.0.0")
    String handle(@Var("customer") String customer, @Var("question") String question);

    @Prompt(id = "support-reply", version = "1.0.0")
    ParcelStatus status(@Var("customer") String customer, @Var("question") String question);
  }

  @ApplicationScoped
  public static class Counter {
    @Inject ParcelDesk desk;

    public ParcelDesk desk() {
      return desk;
    }
  }

  /** Reads the claim rows of the default tenant. */
  @ApplicationScoped
  public static class Claims {
    @PersistenceContext(unitName = "warden")
    EntityManager em;

    public long of(String principal) {
      return ((Number)
              em.createNativeQuery(
                      "select count(*) from warden_tool_call where tenant = 'default'"
                          + " and principal = ?1")
                  .setParameter(1, principal)
                  .getSingleResult())
          .longValue();
    }

    /** Stores a claim made {@code daysAgo} days ago for {@code principal}. */
    @jakarta.transaction.Transactional
    public void oldClaim(String id, String principal, int daysAgo) {
      em.createNativeQuery(
              "insert into warden_tool_call (id, tenant, principal, tool_name, created_at)"
                  + " values (?1, 'default', ?2, 'locate', ?3)")
          .setParameter(1, id)
          .setParameter(2, principal)
          .setParameter(
              3,
              java.sql.Timestamp.from(
                  java.time.Instant.now().minus(java.time.Duration.ofDays(daysAgo))))
          .executeUpdate();
    }

    /** The stored first results of a principal's claims, as stored (sealed). */
    public List<byte[]> results(String principal) {
      List<byte[]> out = new ArrayList<>();
      for (Object r :
          em.createNativeQuery(
                  "select result_enc from warden_tool_call where tenant = 'default'"
                      + " and principal = ?1 and result_enc is not null")
              .setParameter(1, principal)
              .getResultList()) {
        out.add((byte[]) r);
      }
      return out;
    }
  }

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden()
        .addClasses(
            ParcelTools.class, ParcelDesk.class, ParcelStatus.class, Counter.class, Claims.class);
  }

  @Inject Counter counter;
  @Inject ParcelTools tools;

  @Inject Claims claimRows;
  @Inject dev.warden.ai.service.ToolCallPurge purge;

  private long claims(String principal) {
    return claimRows.of(principal);
  }

  private List<JsonObject> sentBodies() {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject r : mock.find(MockAdmin.request("POST", RESPONSES))) {
      out.add(Json.createReader(new StringReader(r.getString("body"))).readObject());
    }
    return out;
  }

  private static List<JsonObject> items(JsonObject body, String type) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonValue v : body.getJsonArray("input")) {
      JsonObject item = v.asJsonObject();
      if (type.equals(item.getString("type", ""))) {
        out.add(item);
      }
    }
    return out;
  }

  @Test
  void parallelFunctionCallsAreAnsweredWithTheirOutputsAndTheFinalTextReturns() {
    int lookups = tools.lookups();
    int quotes = tools.quotes();

    String answer = counter.desk().handle("Ada", "Where is parcel p-1 and what does it cost?");

    assertTrue(answer.startsWith("Mock answer using tool results:"), answer);
    assertEquals(lookups + 1, tools.lookups());
    assertEquals(quotes + 1, tools.quotes());
    List<JsonObject> bodies = sentBodies();
    assertEquals(2, bodies.size());
    JsonArray offered = bodies.get(0).getJsonArray("tools");
    assertEquals(2, offered.size());
    for (JsonValue t : offered) {
      assertEquals("function", t.asJsonObject().getString("type"));
      assertTrue(t.asJsonObject().getBoolean("strict"), t.toString());
      assertEquals(
          false, t.asJsonObject().getJsonObject("parameters").getBoolean("additionalProperties"));
    }
    List<JsonObject> calls = items(bodies.get(1), "function_call");
    List<JsonObject> outputs = items(bodies.get(1), "function_call_output");
    assertEquals(2, calls.size(), "both parallel calls are replayed");
    assertEquals(
        calls.stream().map(c -> c.getString("call_id")).toList(),
        outputs.stream().map(o -> o.getString("call_id")).toList());
    assertTrue(
        outputs.stream().anyMatch(o -> o.getString("output").contains("is in Lyon")),
        outputs.toString());
    assertTrue(outputs.get(0).getString("output").contains("untrusted_content"));
  }

  /** The mock proposes two fixed call ids to every first-round request. */
  private void proposeFixedCalls(String suffix) {
    JsonArrayBuilder output =
        Json.createArrayBuilder()
            .add(
                Json.createObjectBuilder()
                    .add("type", "function_call")
                    .add("id", "fc_1" + suffix)
                    .add("status", "completed")
                    .add("call_id", "call_l" + suffix)
                    .add("name", "locate")
                    .add("arguments", "{\"parcel\":\"p-2\"}"))
            .add(
                Json.createObjectBuilder()
                    .add("type", "function_call")
                    .add("id", "fc_2" + suffix)
                    .add("status", "completed")
                    .add("call_id", "call_q" + suffix)
                    .add("name", "quote")
                    .add("arguments", "{\"parcel\":\"p-2\",\"express\":true}"));
    JsonObject body =
        Json.createObjectBuilder()
            .add("id", "resp_tools" + suffix)
            .add("object", "response")
            .add("created_at", 1)
            .add("status", "completed")
            .add("model", "gpt-4o-mini")
            .add("output", output)
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("input_tokens", 10)
                    .add("output_tokens", 5)
                    .add("total_tokens", 15))
            .build();
    mock.stub(
        MockAdmin.request("POST", RESPONSES)
            .add(
                "bodyPatterns",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("doesNotMatch", "(?s).*function_call_output.*"))),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", body.toString()));
  }

  @Test
  void aCallIdRunsOncePerCallerAndAnotherCallersSameIdIsItsOwn() {
    proposeFixedCalls(Long.toString(System.nanoTime()));
    long aliceClaims = claims("alice");
    long bobClaims = claims("bob");
    int lookups = tools.lookups();
    int quotes = tools.quotes();

    String first =
        Caller.runAs(Caller.of("alice"), () -> counter.desk().handle("Ada", "Where is p-2?"));
    String again =
        Caller.runAs(Caller.of("alice"), () -> counter.desk().handle("Ada", "Where is p-2?"));

    assertTrue(first.startsWith("Mock answer using tool results:"), first);
    assertEquals(first, again, "the duplicate gets the first results");
    assertEquals(lookups + 1, tools.lookups());
    assertEquals(quotes + 1, tools.quotes());
    assertEquals(aliceClaims + 2, claims("alice"), "both calls are claimed in the database");
    List<byte[]> stored = claimRows.results("alice");
    assertTrue(stored.size() >= 2, "the first results are stored with the claims");
    for (byte[] sealed : stored) {
      String raw = new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1);
      assertTrue(!raw.contains("Lyon") && !raw.contains("EUR"), "results are stored sealed");
    }
    List<JsonObject> bodies = sentBodies();
    JsonObject replayRound = bodies.get(bodies.size() - 1);
    assertTrue(
        items(replayRound, "function_call_output").stream()
            .anyMatch(o -> o.getString("output").contains("parcel p-2 is in Lyon")),
        "the duplicate was answered with the stored first result, read from the database");

    Caller.runAs(Caller.of("bob"), () -> counter.desk().handle("Bob", "Where is p-2?"));
    assertEquals(lookups + 2, tools.lookups(), "bob's call with the same id runs for him");
    assertEquals(quotes + 2, tools.quotes());
    assertEquals(bobClaims + 2, claims("bob"));
    assertEquals(aliceClaims + 2, claims("alice"));
  }

  @Test
  void aTypedResultComesBackAfterTheToolRounds() {
    int lookups = tools.lookups();

    ParcelStatus status = counter.desk().status("Ada", "Where is parcel p-3 and its price?");

    assertTrue(status != null && status.parcel() != null && status.city() != null, "" + status);
    assertEquals(lookups + 1, tools.lookups());
    List<JsonObject> bodies = sentBodies();
    JsonObject last = bodies.get(bodies.size() - 1);
    assertEquals(2, items(last, "function_call_output").size());
    for (JsonObject body : List.of(bodies.get(bodies.size() - 2), last)) {
      JsonObject format = body.getJsonObject("text").getJsonObject("format");
      assertEquals("json_schema", format.getString("type"));
      assertTrue(format.getBoolean("strict"), format.toString());
      JsonObject properties = format.getJsonObject("schema").getJsonObject("properties");
      assertTrue(
          properties.containsKey("priceEur") && properties.containsKey("city"), format.toString());
    }
  }

  @Test
  void claimsPastTheirRetentionAreDeletedAndNewerOnesKept() {
    String principal = "carol-" + System.nanoTime();
    claimRows.oldClaim("a".repeat(60) + Long.toHexString(System.nanoTime() & 0xfff), principal, 8);
    claimRows.oldClaim("b".repeat(60) + Long.toHexString(System.nanoTime() & 0xfff), principal, 1);
    assertEquals(2, claims(principal));

    assertTrue(purge.purge() >= 1);

    assertEquals(1, claims(principal), "the 8-day-old claim is gone, the 1-day-old one kept");
  }
}
