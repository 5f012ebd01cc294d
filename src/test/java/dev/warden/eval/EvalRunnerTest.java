package dev.warden.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.warden.mock.MockOpenAiServer;
import dev.warden.prompt.PromptTemplate;
import jakarta.json.Json;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EvalRunnerTest {

  private static WireMockServer mock;

  @BeforeAll
  static void start() {
    mock = MockOpenAiServer.start(0);
  }

  @AfterAll
  static void stop() {
    mock.stop();
  }

  private static final PromptTemplate PROMPT =
      PromptTemplate.parse(
          "triage",
          "1.0.0",
          "[system]\nTriage.\n[user]\n{{ticket}}".getBytes(StandardCharsets.UTF_8));

  @Test
  void reportsPassRateTokensCostAndLatencyPerModelAgainstTheMock() throws Exception {
    List<EvalRunner.Case> cases =
        EvalRunner.parse(
            "{\"name\":\"echo\",\"vars\":{\"ticket\":\"Printer jam\"},\"expect\":{\"contains\":\"Printer jam\"}}\n"
                + "\n// a case the mock cannot pass\n"
                + "{\"name\":\"category\",\"vars\":{\"ticket\":\"x\"},\"expect\":{\"json\":{\"category\":\"BILLING\"}}}\n");
    EvalRunner runner = new EvalRunner(MockOpenAiServer.baseUrl(mock), "sk-test");

    EvalRunner.ModelReport r =
        runner.run(PROMPT, cases, "gpt-4o-mini", new EvalRunner.Price(1_000_000, 2_000_000));

    assertEquals(2, r.cases());
    assertEquals(1, r.passed());
    assertEquals(0.5, r.passRate());
    assertTrue(r.inputTokens() > 0 && r.outputTokens() > 0, r.toString());
    assertEquals(r.inputTokens() + 2.0 * r.outputTokens(), r.costUsd(), 1e-9);
    assertEquals(List.of("category: is not a JSON object"), r.failures());
    String table = EvalRunner.table("triage 1.0.0", List.of(r));
    assertTrue(table.contains("gpt-4o-mini") && table.contains("50.0%"), table);
  }

  @Test
  void theShippedDatasetsRunAgainstTheirNewestPublishedPromptOnTheMock() throws Exception {
    dev.warden.prompt.PromptCatalog catalog =
        new dev.warden.prompt.PromptCatalog(
            path -> {
              java.nio.file.Path f = java.nio.file.Path.of("config/prompts").resolve(path);
              try {
                return java.nio.file.Files.exists(f) ? java.nio.file.Files.readAllBytes(f) : null;
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertEquals(List.of(), catalog.problems());
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("config/evals"))) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        String id = f.getFileName().toString().replace(".jsonl", "");
        PromptTemplate prompt = catalog.select(id, "").orElseThrow();
        List<EvalRunner.Case> cases = EvalRunner.parse(java.nio.file.Files.readString(f));
        EvalRunner.ModelReport r =
            new EvalRunner(MockOpenAiServer.baseUrl(mock), "sk-test")
                .run(prompt, cases, "gpt-4o-mini", null);
        assertEquals(1.0, r.passRate(), id + ": " + r.failures());
      }
    }
  }

  @Test
  void checksCombineAndJsonIsASubsetMatch() {
    var expect =
        Json.createReader(
                new StringReader(
                    "{\"json\":{\"category\":\"BILLING\"},\"not_contains\":\"secret\"}"))
            .readObject();
    assertNull(EvalRunner.check(expect, "{\"category\":\"BILLING\",\"priority\":2}"));
    assertEquals(
        "field category is \"OTHER\", expected \"BILLING\"",
        EvalRunner.check(expect, "{\"category\":\"OTHER\"}"));
    assertEquals(
        "contains \"secret\"",
        EvalRunner.check(expect, "{\"category\":\"BILLING\",\"x\":\"secret\"}"));
  }
}
