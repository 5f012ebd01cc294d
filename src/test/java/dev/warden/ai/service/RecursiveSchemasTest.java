package dev.warden.ai.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.annotation.Nullable;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Recursive records and maps in generated strict schemas ({@link JsonSchemas}). */
class RecursiveSchemasTest {

  record Category(String name, List<Category> children) {}

  record Catalog(String title, Category root) {}

  record Folder(String name, List<Document> documents) {}

  record Document(String title, Optional<Folder> attachedTo) {}

  record Drive(Folder top) {}

  record Person(String name, List<Pet> pets) {}

  record Pet(String name, Person owner) {}

  record Comment(
      String text,
      Optional<Comment> quoted,
      @Nullable Comment parent,
      Comment[] replies,
      Set<Comment> liked) {}

  record Thread(String subject, List<Comment> comments, Optional<List<Comment>> pinned) {}

  record Address(String city) {}

  record Letter(Address from, Address to) {}

  record Scores(Map<String, Integer> points, Optional<Map<String, List<String>>> tags) {}

  record Directory(String name, Map<String, Directory> entries) {}

  record Node(String name, List<Node> children) {}

  record Point(int x) {}

  record Both(
      Node mine,
      dev.warden.ai.service.shapes.Node theirs,
      Point here,
      dev.warden.ai.service.shapes.Point there) {}

  /** JSON written with single quotes, for legibility. */
  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text.replace('\'', '"'))).readObject();
  }

  private static JsonObject strict(JsonObject schema) {
    assertEquals(List.of(), StrictSchemaRules.problems(schema), schema.toString());
    return schema;
  }

  @Test
  void aRecordThatContainsItselfRefersToTheRoot() {
    assertEquals(
        json(
            "{'type':'object','properties':{'name':{'type':'string'},"
                + "'children':{'type':'array','items':{'$ref':'#'}}},"
                + "'required':['name','children'],'additionalProperties':false}"),
        strict(JsonSchemas.of(Category.class)));
  }

  @Test
  void aRecursiveRecordBelowTheRootIsDefinedOnceUnderDefs() {
    JsonObject category =
        json(
            "{'type':'object','properties':{'name':{'type':'string'},"
                + "'children':{'type':'array','items':{'$ref':'#/$defs/Category'}}},"
                + "'required':['name','children'],'additionalProperties':false}");
    JsonObject expected =
        Json.createObjectBuilder(
                json(
                    "{'type':'object','properties':{'title':{'type':'string'},"
                        + "'root':{'$ref':'#/$defs/Category'}},"
                        + "'required':['title','root'],'additionalProperties':false}"))
            .add("$defs", Json.createObjectBuilder().add("Category", category))
            .build();

    assertEquals(expected, strict(JsonSchemas.of(Catalog.class)));
  }

  @Test
  void twoRecordsThatReferToEachOtherAreBothDefinitions() {
    JsonObject schema = strict(JsonSchemas.of(Drive.class));

    assertEquals(json("{'$ref':'#/$defs/Folder'}"), schema.getJsonObject("properties").get("top"));
    JsonObject defs = schema.getJsonObject("$defs");
    assertEquals(Set.of("Folder", "Document"), defs.keySet());
    assertEquals(
        json("{'type':'array','items':{'$ref':'#/$defs/Document'}}"),
        defs.getJsonObject("Folder").getJsonObject("properties").get("documents"));
    assertEquals(
        json("{'anyOf':[{'$ref':'#/$defs/Folder'},{'type':'null'}]}"),
        defs.getJsonObject("Document").getJsonObject("properties").get("attachedTo"));
  }

  @Test
  void mutualRecursionThroughTheRootRefersToTheRoot() {
    JsonObject schema = strict(JsonSchemas.of(Person.class));

    assertEquals(Set.of("Pet"), schema.getJsonObject("$defs").keySet());
    assertEquals(
        json("{'type':'array','items':{'$ref':'#/$defs/Pet'}}"),
        schema.getJsonObject("properties").get("pets"));
    assertEquals(
        json("{'$ref':'#'}"),
        schema
            .getJsonObject("$defs")
            .getJsonObject("Pet")
            .getJsonObject("properties")
            .get("owner"));
  }

  @Test
  void listsArraysSetsAndOptionalsOfARecursiveRecord() {
    JsonObject schema = strict(JsonSchemas.of(Thread.class));

    JsonObject properties = schema.getJsonObject("properties");
    assertEquals(
        json("{'type':'array','items':{'$ref':'#/$defs/Comment'}}"), properties.get("comments"));
    assertEquals(
        json("{'type':['array','null'],'items':{'$ref':'#/$defs/Comment'}}"),
        properties.get("pinned"));
    JsonObject comment = schema.getJsonObject("$defs").getJsonObject("Comment");
    JsonObject nullableRef = json("{'anyOf':[{'$ref':'#/$defs/Comment'},{'type':'null'}]}");
    assertEquals(nullableRef, comment.getJsonObject("properties").get("quoted"));
    assertEquals(nullableRef, comment.getJsonObject("properties").get("parent"));
    assertEquals(
        json("{'type':'array','items':{'$ref':'#/$defs/Comment'}}"),
        comment.getJsonObject("properties").get("replies"));
    assertEquals(
        json("{'type':'array','items':{'$ref':'#/$defs/Comment'}}"),
        comment.getJsonObject("properties").get("liked"));
  }

  @Test
  void aRecordUsedTwiceWithoutRecursionStaysInline() {
    JsonObject schema = strict(JsonSchemas.of(Letter.class));

    assertFalse(schema.containsKey("$defs"));
    assertEquals(
        json(
            "{'type':'object','properties':{'city':{'type':'string'}},"
                + "'required':['city'],'additionalProperties':false}"),
        schema.getJsonObject("properties").get("to"));
  }

  @Test
  void aMapIsAnArrayOfKeyValueEntries() {
    assertEquals(
        json(
            "{'type':'object','properties':{"
                + "'points':{'type':'array','items':{'type':'object','properties':{"
                + "'key':{'type':'string'},'value':{'type':'integer'}},"
                + "'required':['key','value'],'additionalProperties':false}},"
                + "'tags':{'type':['array','null'],'items':{'type':'object','properties':{"
                + "'key':{'type':'string'},"
                + "'value':{'type':'array','items':{'type':'string'}}},"
                + "'required':['key','value'],'additionalProperties':false}}},"
                + "'required':['points','tags'],'additionalProperties':false}"),
        strict(JsonSchemas.of(Scores.class)));
  }

  @Test
  void aMapOfTheRecursiveRecordRefersToIt() {
    JsonObject schema = strict(JsonSchemas.of(Directory.class));

    assertEquals(
        json("{'$ref':'#'}"),
        schema
            .getJsonObject("properties")
            .getJsonObject("entries")
            .getJsonObject("items")
            .getJsonObject("properties")
            .get("value"));
  }

  @Test
  void recursiveRecordsOfTheSameSimpleNameAreNamedByTheirFullName() {
    JsonObject schema = strict(JsonSchemas.of(Both.class));

    String mine = "dev_warden_ai_service_RecursiveSchemasTest_Node";
    String theirs = "dev_warden_ai_service_shapes_Node";
    assertEquals(Set.of(mine, theirs), schema.getJsonObject("$defs").keySet());
    JsonObject properties = schema.getJsonObject("properties");
    assertEquals(json("{'$ref':'#/$defs/" + mine + "'}"), properties.get("mine"));
    assertEquals(json("{'$ref':'#/$defs/" + theirs + "'}"), properties.get("theirs"));
    assertEquals(
        List.of("label", "next"),
        schema
            .getJsonObject("$defs")
            .getJsonObject(theirs)
            .getJsonArray("required")
            .getValuesAs(jakarta.json.JsonString::getString));
    // same simple name, not recursive: each inline with its own properties
    assertEquals(
        Set.of("x"), properties.getJsonObject("here").getJsonObject("properties").keySet());
    assertEquals(
        Set.of("name"), properties.getJsonObject("there").getJsonObject("properties").keySet());
  }

  @Test
  void aToolParameterOfARecursiveTypeUsesDefs() {
    JsonObject schema =
        strict(
            JsonSchemas.object(
                new String[] {"tree", "counts"},
                new Type[] {Category.class, Scores.class},
                new boolean[] {true, false}));

    assertEquals(
        json("{'anyOf':[{'$ref':'#/$defs/Category'},{'type':'null'}]}"),
        schema.getJsonObject("properties").get("tree"));
    assertEquals(Set.of("Category"), schema.getJsonObject("$defs").keySet());
  }

  @Test
  void theStrictRulesOfTheseTestsCatchWhatStrictModeRefuses() {
    assertEquals(
        List.of(
            "$: every property must be required",
            "$.a: additionalProperties must be false",
            "$.b: $ref #/$defs/Missing points nowhere"),
        StrictSchemaRules.problems(
            json(
                "{'type':'object','additionalProperties':false,'required':['b'],"
                    + "'properties':{'a':{'type':'object','properties':{},'required':[]},"
                    + "'b':{'$ref':'#/$defs/Missing'}}}")));
  }
}
