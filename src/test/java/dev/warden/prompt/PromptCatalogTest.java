package dev.warden.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.call.PromptRef;
import dev.warden.openai.model.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptCatalogTest {

  private static final String V1 = "[system]\nYou triage.\n\n[user]\n{{ticket}}\n";
  private static final String V2 =
      "[system]\nYou triage carefully.\n[developer]\nBe brief.\n[user]\nTicket: {{ticket}}\n";

  private final Map<String, byte[]> files = new HashMap<>();

  private void put(String path, String text) {
    files.put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  private String hash(String text) {
    return PromptTemplate.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private PromptCatalog catalog() {
    return new PromptCatalog(files::get);
  }

  @Test
  void selectsAPinnedVersionOrTheNewestPublished() {
    put("triage/1.0.0", V1);
    put("triage/1.10.0", V2);
    put("triage/1.9.0", V1);
    put(
        "prompts.lock",
        "# published\ntriage 1.0.0 "
            + hash(V1)
            + "\ntriage 1.10.0 "
            + hash(V2)
            + "\ntriage 1.9.0 "
            + hash(V1)
            + "\n");

    PromptCatalog catalog = catalog();

    assertEquals(List.of(), catalog.problems());
    assertEquals("1.0.0", catalog.select("triage", "1.0.0").orElseThrow().ref().version());
    PromptTemplate newest = catalog.select("triage", "").orElseThrow();
    assertEquals(new PromptRef("triage", "1.10.0", hash(V2)), newest.ref());
    assertTrue(catalog.select("triage", "2.0.0").isEmpty());
    assertTrue(catalog.select("other", null).isEmpty());
  }

  @Test
  void aPublishedTemplateChangedWithoutANewVersionIsAProblem() {
    put("triage/1.0.0", V1 + "one more line\n");
    put("prompts.lock", "triage 1.0.0 " + hash(V1) + "\n");

    PromptCatalog catalog = catalog();

    assertEquals(1, catalog.problems().size());
    assertTrue(
        catalog.problems().get(0).contains("triage 1.0.0 changed after it was published"),
        catalog.problems().get(0));
    assertTrue(catalog.select("triage", "1.0.0").isEmpty());
  }

  @Test
  void missingTemplatesAndMalformedLinesAreProblems() {
    put("prompts.lock", "triage 1.0.0 " + hash(V1) + "\ntriage one " + hash(V1) + "\n");

    List<String> problems = catalog().problems();

    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("template is missing"), problems.get(0));
    assertTrue(problems.get(1).contains("line 2"), problems.get(1));
  }

  @Test
  void rendersStaticSectionsFirstAndTheVariablesLast() {
    PromptTemplate t = PromptTemplate.parse("triage", "1.1.0", V2.getBytes(StandardCharsets.UTF_8));

    List<ChatMessage> messages = t.render(Map.of("ticket", "Printer $1 on fire"));

    assertEquals(
        List.of(
            ChatMessage.system("You triage carefully."),
            ChatMessage.developer("Be brief."),
            ChatMessage.user("Ticket: Printer $1 on fire")),
        messages);
    assertThrows(IllegalArgumentException.class, () -> t.render(Map.of()));
  }

  @Test
  void variablesInTheStaticTextOrNoUserSectionLastAreRefused() {
    IllegalArgumentException early =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PromptTemplate.parse(
                    "p",
                    "1.0.0",
                    "[system]\nHi {{name}}\n[user]\nx".getBytes(StandardCharsets.UTF_8)));
    assertTrue(early.getMessage().contains("outside the last section"), early.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PromptTemplate.parse(
                "p", "1.0.0", "[user]\nx\n[system]\ny".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        IllegalArgumentException.class,
        () -> PromptTemplate.parse("p", "v1", "[user]\nx".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void semanticVersionsOrderAsSemverDoes() {
    List<String> ordered =
        List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0", "1.2.0", "1.10.0", "2.0.0");
    for (int i = 1; i < ordered.size(); i++) {
      assertTrue(
          SemVer.parse(ordered.get(i - 1)).compareTo(SemVer.parse(ordered.get(i))) < 0,
          ordered.get(i - 1) + " < " + ordered.get(i));
    }
    assertThrows(IllegalArgumentException.class, () -> SemVer.parse("1.0"));
  }
}
