package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.service.AiService;
import dev.warden.ai.service.Prompt;
import dev.warden.ai.service.Var;
import dev.warden.call.CallFinished;
import dev.warden.call.Outcome;
import dev.warden.call.refusal.OutputValidationRefusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Typed AI services whose results refer to themselves or hold a map, on the real server against the
 * mock upstream: the strict schema sent upstream defines the recursive record under {@code $defs}
 * and refers to it with {@code $ref}, a map travels as {@code {key, value}} entries, an answer that
 * breaks the schema deep in the tree is withheld, and a valid one comes back as the Java record
 * tree.
 */
class RecursiveOutputIT extends WardenIntegrationTest {

  /** A tree of categories: a record that contains itself. */
  public record Category(String name, List<Category> children) {}

  /** The result holds the tree below its root, so the tree is a definition of its own. */
  public record Taxonomy(String title, Category root) {}

  /** A result with a map. */
  public record Stock(String warehouse, Map<String, Integer> counts) {}

  /** The application's declaration. */
  @AiService(model = "gpt-4o-mini")
  public interface Cataloguer {
    @Prompt(id = "ticket-triage", version = "1.0.0")
    Category categorise(@Var("ticket") String ticket);

    @Prompt(id = "ticket-triage", version = "1.0.0")
    Taxonomy taxonomy(@Var("ticket") String ticket);

    @Prompt(id = "ticket-triage", version = "1.0.0")
    Stock count(@Var("ticket") String ticket);
  }

  /** The application's own bean that injects the service. */
  @ApplicationScoped
  public static class Shop {
    @Inject Cataloguer cataloguer;

    public Cataloguer cataloguer() {
      return cataloguer;
    }
  }

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden()
        .addClasses(Category.class, Taxonomy.class, Stock.class, Cataloguer.class, Shop.class);
  }

  @Inject Shop shop;

  private static JsonObject json(String singleQuoted) {
    return Json.createReader(new StringReader(singleQuoted.replace('\'', '"'))).readObject();
  }

  /** The one chat request the mock received, as it received it. */
  private JsonObject sentSchema(String name) {
    List<JsonObject> sent =
        mock.find(MockAdmin.request("POST", CHAT)).stream()
            .map(r -> Json.createReader(new StringReader(r.getString("body"))).readObject())
            .toList();
    assertEquals(1, sent.size());
    JsonObject format = sent.get(0).getJsonObject("response_format");
    assertEquals("json_schema", format.getString("type"));
    JsonObject jsonSchema = format.getJsonObject("json_schema");
    assertEquals(name, jsonSchema.getString("name"));
    assertTrue(jsonSchema.getBoolean("strict"));
    return jsonSchema.getJsonObject("schema");
  }

  /** The mock answers every chat completion with {@code content}. */
  private void answerWith(String content) {
    JsonObject body =
        Json.createObjectBuilder()
            .add("id", "chatcmpl-recursive")
            .add("object", "chat.completion")
            .add("created", 1)
            .add("model", "gpt-4o-mini")
            .add(
                "choices",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("index", 0)
                            .add("finish_reason", "stop")
                            .add(
                                "message",
                                Json.createObjectBuilder()
                                    .add("role", "assistant")
                                    .add("content", content.replace('\'', '"')))))
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("prompt_tokens", 10)
                    .add("completion_tokens", 5)
                    .add("total_tokens", 15))
            .build();
    mock.stub(
        MockAdmin.request("POST", CHAT),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", body.toString()));
  }

  private CallFinished onlyCall() throws InterruptedException {
    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertEquals(1, callLog.calls().size());
    return call;
  }

  @Test
  void aTreeIsAskedForWithDefsAndRefsAndBoundBackIntoRecords() throws Exception {
    answerWith(
        "{'title':'Shop','root':{'name':'all','children':["
            + "{'name':'fruit','children':[{'name':'apples','children':[]}]},"
            + "{'name':'tools','children':[]}]}}");

    Taxonomy taxonomy = shop.cataloguer().taxonomy("Sort the shop");

    assertEquals(
        new Taxonomy(
            "Shop",
            new Category(
                "all",
                List.of(
                    new Category("fruit", List.of(new Category("apples", List.of()))),
                    new Category("tools", List.of())))),
        taxonomy);
    JsonObject schema = sentSchema("Taxonomy");
    assertEquals(
        json("{'$ref':'#/$defs/Category'}"), schema.getJsonObject("properties").get("root"));
    assertEquals(Set.of("Category"), schema.getJsonObject("$defs").keySet());
    assertEquals(
        json(
            "{'type':'object','properties':{'name':{'type':'string'},"
                + "'children':{'type':'array','items':{'$ref':'#/$defs/Category'}}},"
                + "'required':['name','children'],'additionalProperties':false}"),
        schema.getJsonObject("$defs").getJsonObject("Category"));
    assertEquals(false, schema.getBoolean("additionalProperties"));
    assertEquals(Outcome.SUCCEEDED, onlyCall().outcome());
  }

  @Test
  void aRecordThatIsItsOwnResultRefersToTheRoot() throws Exception {
    answerWith("{'name':'all','children':[{'name':'fruit','children':[]}]}");

    Category tree = shop.cataloguer().categorise("Sort the shop");

    assertEquals(new Category("all", List.of(new Category("fruit", List.of()))), tree);
    JsonObject schema = sentSchema("Category");
    assertEquals(
        json("{'type':'array','items':{'$ref':'#'}}"),
        schema.getJsonObject("properties").get("children"));
    assertEquals(
        List.of("name", "children"),
        schema.getJsonArray("required").getValuesAs(JsonString::getString));
  }

  @Test
  void aMissingRequiredFieldDeepInTheTreeIsWithheldAndTheCallFails() throws Exception {
    answerWith(
        "{'title':'Shop','root':{'name':'all','children':["
            + "{'name':'fruit','children':[{'children':[]}]}]}}");

    OutputValidationRefusal e =
        assertThrows(
            OutputValidationRefusal.class, () -> shop.cataloguer().taxonomy("Sort the shop"));

    assertEquals(1, e.violations().size(), e.violations().toString());
    assertTrue(
        e.violations().get(0).startsWith("choices[0].root.children[0].children[0]"),
        e.violations().toString());
    assertTrue(e.violations().get(0).contains("required"), e.violations().toString());
    CallFinished call = onlyCall();
    assertEquals(Outcome.FAILED, call.outcome());
    assertEquals("OutputValidationRefusal", call.errorType());
  }

  @Test
  void aMapIsAskedForAsEntriesAndBoundBackIntoAMap() throws Exception {
    answerWith(
        "{'warehouse':'north','counts':[{'key':'apples','value':3},{'key':'pears','value':0}]}");

    Stock stock = shop.cataloguer().count("Count the stock");

    assertEquals(new Stock("north", Map.of("apples", 3, "pears", 0)), stock);
    assertEquals(
        json(
            "{'type':'array','items':{'type':'object','properties':{"
                + "'key':{'type':'string'},'value':{'type':'integer'}},"
                + "'required':['key','value'],'additionalProperties':false}}"),
        sentSchema("Stock").getJsonObject("properties").get("counts"));
    assertEquals(Outcome.SUCCEEDED, onlyCall().outcome());
  }

  @Test
  void aMapSentAsAnOpenObjectOrWithARepeatedKeyIsWithheld() throws Exception {
    answerWith("{'warehouse':'north','counts':{'apples':3}}");
    OutputValidationRefusal open =
        assertThrows(
            OutputValidationRefusal.class, () -> shop.cataloguer().count("Count the stock"));
    assertTrue(
        open.violations().get(0).startsWith("choices[0].counts"), open.violations().toString());
    assertEquals(Outcome.FAILED, onlyCall().outcome());

    callLog.clear();
    answerWith(
        "{'warehouse':'north','counts':[{'key':'apples','value':3},{'key':'apples','value':4}]}");
    OutputValidationRefusal repeated =
        assertThrows(
            OutputValidationRefusal.class, () -> shop.cataloguer().count("Count the stock"));
    assertEquals(
        List.of("$.counts[1].key: the key repeats an earlier entry's key"), repeated.violations());
    assertEquals(Outcome.FAILED, onlyCall().outcome());
  }
}
