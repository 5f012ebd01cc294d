package dev.warden.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoldenSetTest {

  private static final String HEADER =
      "{\"prompt\":\"p\",\"output\":\"json\",\"schema\":{\"type\":\"object\"},"
          + "\"exact\":[\"category\"],\"numeric\":{\"priority\":0.5}}\n";

  @Test
  void everyShippedPromptHasAGoldenSetOfAtLeastFiftyCases() throws Exception {
    List<String> ids =
        Files.readAllLines(Path.of("config/prompts/prompts.lock")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(l -> l.split("\\s+")[0])
            .distinct()
            .toList();
    assertEquals(List.of("support-reply", "ticket-triage"), ids.stream().sorted().toList());
    for (String id : ids) {
      GoldenSet set = GoldenSet.read(Path.of("config/evals/" + id + ".jsonl"));
      assertEquals(id, set.prompt());
      assertTrue(set.cases().size() >= 50, id + ": " + set.cases().size() + " cases");
      assertTrue(set.rubric().isPresent(), id);
      assertTrue(!set.exact().isEmpty() && !set.numeric().isEmpty(), id);
    }
  }

  @Test
  void parsesHeaderAndCases() {
    GoldenSet set =
        GoldenSet.parse(
            HEADER
                + "\n// a comment\n"
                + "{\"id\":\"a\",\"vars\":{\"ticket\":\"x\",\"n\":3},"
                + "\"expected\":{\"category\":\"OTHER\",\"priority\":2}}\n");

    assertTrue(set.jsonOutput());
    assertEquals(List.of("category"), set.exact());
    assertEquals(0.5, set.numeric().get("priority"));
    assertTrue(set.rubric().isEmpty());
    assertEquals(1, set.cases().size());
    assertEquals("3", set.cases().get(0).vars().get("n"));
  }

  @Test
  void refusesWhatCannotBeGraded() {
    assertEquals(
        "line 2: expected field summary is graded by no grader",
        assertThrows(
                IllegalArgumentException.class,
                () -> GoldenSet.parse(HEADER + "{\"id\":\"a\",\"expected\":{\"summary\":\"s\"}}"))
            .getMessage());
    assertEquals(
        "line 3: every case needs its own id",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    GoldenSet.parse(
                        HEADER
                            + "{\"id\":\"a\",\"expected\":{\"priority\":1}}\n"
                            + "{\"id\":\"a\",\"expected\":{\"priority\":1}}"))
            .getMessage());
    assertEquals(
        "line 2: expected field priority is graded as a number, not a number",
        assertThrows(
                IllegalArgumentException.class,
                () -> GoldenSet.parse(HEADER + "{\"id\":\"a\",\"expected\":{\"priority\":\"1\"}}"))
            .getMessage());
    assertEquals(
        "line 1: the header needs prompt, output and schema",
        assertThrows(IllegalArgumentException.class, () -> GoldenSet.parse("{\"prompt\":\"p\"}"))
            .getMessage());
    assertEquals(
        "line 2: not a JSON object",
        assertThrows(IllegalArgumentException.class, () -> GoldenSet.parse(HEADER + "nope"))
            .getMessage());
  }
}
