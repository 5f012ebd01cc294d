package dev.warden.ai.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.guard.OutputValidator;
import dev.warden.guard.OutputViolation;
import dev.warden.guard.StructuredJson;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Answers to recursive and map-holding schemas: checked against the generated schema (the validator
 * follows {@code $ref}s into {@code $defs} and to the root), then bound back into the record tree,
 * with map entries turned back into maps.
 */
class StructuredOutputBindingTest {

  public record Category(String name, List<Category> children) {}

  public record Folder(String name, List<Document> documents) {}

  public record Document(String title, Optional<Folder> attachedTo) {}

  public record Drive(Folder top) {}

  public record Stock(String warehouse, Map<String, Integer> counts) {}

  public record Directory(String name, Map<String, Directory> entries) {}

  private static final ValidatorFactory BEANS = Validation.buildDefaultValidatorFactory();

  @AfterAll
  static void close() {
    BEANS.close();
  }

  private final OutputValidator outputs = new OutputValidator(List.of(), BEANS.getValidator());

  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private <T> T bind(String answer, Class<T> type) {
    return outputs.bind(json(answer), JsonSchemas.of(type), type);
  }

  private List<String> refusal(String answer, Class<?> type) {
    return assertThrows(OutputValidationRefusal.class, () -> bind(answer, type)).violations();
  }

  @Test
  void aTreeIsValidatedAndBoundBackIntoRecords() {
    Category tree =
        bind(
            "{'name':'root','children':[{'name':'a','children':[{'name':'a1','children':[]}]},"
                + "{'name':'b','children':[]}]}",
            Category.class);

    assertEquals(
        new Category(
            "root",
            List.of(
                new Category("a", List.of(new Category("a1", List.of()))),
                new Category("b", List.of()))),
        tree);
  }

  @Test
  void aMissingRequiredFieldDeepInTheTreeIsRefused() {
    List<String> violations =
        refusal(
            "{'name':'root','children':[{'name':'a','children':[{'children':[]}]}]}",
            Category.class);

    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).startsWith("$.children[0].children[0]"), violations.toString());
    assertTrue(violations.get(0).contains("required"), violations.toString());
  }

  @Test
  void anExtraPropertyOrAWrongTypeInsideADefinitionIsRefused() {
    List<String> extra =
        refusal(
            "{'top':{'name':'f','documents':[{'title':'t','attachedTo':"
                + "{'name':'g','documents':[],'owner':'x'}}]}}",
            Drive.class);
    // the validator reports each branch of the nullable reference's anyOf
    assertTrue(extra.get(0).contains("additionalProperties"), extra.toString());
    assertTrue(
        extra.stream().allMatch(v -> v.startsWith("$.top.documents[0].attachedTo:")),
        extra.toString());

    List<String> wrongType =
        refusal("{'top':{'name':'f','documents':[{'title':7,'attachedTo':null}]}}", Drive.class);
    assertEquals(1, wrongType.size(), wrongType.toString());
    assertTrue(wrongType.get(0).startsWith("$.top.documents[0].title"), wrongType.toString());
  }

  @Test
  void mutuallyRecursiveRecordsAreBoundWithTheirOptionals() {
    Drive drive =
        bind(
            "{'top':{'name':'home','documents':["
                + "{'title':'cv','attachedTo':{'name':'jobs','documents':[]}},"
                + "{'title':'note','attachedTo':null}]}}",
            Drive.class);

    assertEquals(
        new Drive(
            new Folder(
                "home",
                List.of(
                    new Document("cv", Optional.of(new Folder("jobs", List.of()))),
                    new Document("note", Optional.empty())))),
        drive);
  }

  @Test
  void mapEntriesAreBoundBackIntoAMap() {
    Stock stock =
        bind(
            "{'warehouse':'north','counts':[{'key':'apples','value':3},{'key':'pears','value':0}]}",
            Stock.class);

    assertEquals(new Stock("north", Map.of("apples", 3, "pears", 0)), stock);
  }

  @Test
  void mapsInsideARecursiveTreeAreBoundAtEveryLevel() {
    Directory root =
        bind(
            "{'name':'/','entries':[{'key':'etc','value':{'name':'etc','entries':["
                + "{'key':'hosts','value':{'name':'hosts','entries':[]}}]}}]}",
            Directory.class);

    Directory hosts = new Directory("hosts", Map.of());
    assertEquals(
        new Directory("/", Map.of("etc", new Directory("etc", Map.of("hosts", hosts)))), root);
  }

  @Test
  void aMapEntryOfTheWrongShapeOrTypeIsRefusedByTheSchema() {
    List<String> wrongValue =
        refusal("{'warehouse':'north','counts':[{'key':'apples','value':'3'}]}", Stock.class);
    assertEquals(1, wrongValue.size(), wrongValue.toString());
    assertTrue(wrongValue.get(0).startsWith("$.counts[0].value"), wrongValue.toString());

    List<String> openObject = refusal("{'warehouse':'north','counts':{'apples':3}}", Stock.class);
    assertEquals(1, openObject.size(), openObject.toString());
    assertTrue(openObject.get(0).startsWith("$.counts"), openObject.toString());
  }

  @Test
  void aRepeatedMapKeyIsRefusedThoughTheSchemaAllowsIt() {
    List<String> violations =
        refusal(
            "{'warehouse':'north','counts':[{'key':'apples','value':3},{'key':'apples','value':4}]}",
            Stock.class);

    assertEquals(List.of("$.counts[1].key: the key repeats an earlier entry's key"), violations);
  }

  @Test
  void reshapingLeavesEverythingButMapEntriesAsItIs() {
    JsonValue answer =
        Json.createReader(
                new StringReader(
                    json("{'warehouse':'north','counts':[{'key':'a','value':1}],'other':[1,2]}")))
            .readValue();
    List<OutputViolation> violations = new ArrayList<>();

    JsonObject shaped =
        StructuredJson.forBinding(answer, Stock.class, "$", violations).asJsonObject();

    assertEquals(List.of(), violations);
    assertEquals(
        Json.createReader(
                new StringReader(json("{'warehouse':'north','counts':{'a':1},'other':[1,2]}")))
            .readObject(),
        shaped);
    // a map already sent as an object (a schema of the caller's own) is bound as it is
    JsonValue asObject =
        Json.createReader(new StringReader(json("{'warehouse':'n','counts':{'a':1}}"))).readValue();
    assertEquals(asObject, StructuredJson.forBinding(asObject, Stock.class, "$", violations));
    assertEquals(List.of(), violations);
  }

  record Leaf(String name, List<Leaf> children, Optional<int[]> sizes) {}

  record Branch(String name, List<Branch> children, Optional<List<Stock>> stock) {}

  record Loop(Loop next, String name) {}

  @Test
  void onlyTypesThatCanHoldAMapAreReshaped() {
    assertEquals(true, StructuredJson.holdsMap(Stock.class));
    assertEquals(true, StructuredJson.holdsMap(Branch.class), "a map deep in a recursive type");
    assertEquals(false, StructuredJson.holdsMap(Leaf.class));
    assertEquals(false, StructuredJson.holdsMap(Loop.class));
    assertEquals(false, StructuredJson.holdsMap(String.class));
  }
}
