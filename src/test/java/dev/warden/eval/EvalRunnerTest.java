package dev.warden.eval;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.warden.prompt.PromptTemplate;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EvalRunnerTest {

  private static WireMockServer model;
  private static WireMockServer judge;

  @BeforeAll
  static void start() {
    model = RuleModelServer.launch();
    judge =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    judge.start();
    // the judge passes the answer to the case whose input mentions the VPN, fails the other
    judge.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .atPriority(2)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion("{\\\"pass\\\":false}"))));
    judge.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .withRequestBody(containing("VPN"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion("{\\\"pass\\\":true}"))));
  }

  @AfterAll
  static void stop() {
    model.stop();
    judge.stop();
  }

  private static String completion(String content) {
    return "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + content
        + "\"},\"finish_reason\":\"stop\"}]}";
  }

  private static final PromptTemplate PROMPT =
      PromptTemplate.parse(
          "triage",
          "1.0.0",
          "[system]\nGive the category, its priority and tags.\n[user]\n{{ticket}}"
              .getBytes(StandardCharsets.UTF_8));

  private static final GoldenSet SET =
      GoldenSet.parse(
          "{\"prompt\":\"triage\",\"output\":\"json\",\"rubric\":\"Fits the ticket.\","
              + "\"exact\":[\"category\",\"tags\"],\"numeric\":{\"priority\":1},"
              + "\"schema\":{\"type\":\"object\",\"properties\":{"
              + "\"category\":{\"type\":\"string\",\"enum\":[\"BILLING\",\"OUTAGE\",\"OTHER\"]},"
              + "\"priority\":{\"type\":\"integer\",\"minimum\":1},"
              + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
              + "\"required\":[\"category\",\"priority\",\"tags\"],\"additionalProperties\":false}}\n"
              + "{\"id\":\"vpn\",\"vars\":{\"ticket\":\"VPN is down.\"},"
              + "\"expected\":{\"category\":\"OUTAGE\",\"tags\":[\"vpn\"],\"priority\":2}}\n"
              + "{\"id\":\"bill\",\"vars\":{\"ticket\":\"Refund please.\"},"
              + "\"expected\":{\"category\":\"OTHER\",\"tags\":[\"invoice\"],\"priority\":3.5}}\n");

  @Test
  void gradesEveryCaseAndSkipsTheRubricByConfiguration() throws Exception {
    EvalRunner.Report r =
        new EvalRunner(RuleModelServer.baseUrl(model), "sk-test", Optional.empty(), "no key")
            .run(PROMPT, SET, "gpt-4o-mini", new EvalRunner.Price(1_000_000, 2_000_000));

    assertEquals(2, r.cases());
    assertEquals(1, r.casesPassed());
    assertEquals(new EvalRunner.Score("schema", 2, 2, null), r.scores().get("schema"));
    // bill: category BILLING, expected OTHER
    assertEquals(new EvalRunner.Score("exact", 3, 4, null), r.scores().get("exact"));
    // vpn: 1 is within 1 of 2; bill: 2 is not within 1 of 3.5
    assertEquals(new EvalRunner.Score("numeric", 1, 2, null), r.scores().get("numeric"));
    assertEquals(
        new EvalRunner.Score("rubric", 0, 0, "skipped by configuration: no key"),
        r.scores().get("rubric"));
    assertTrue(Double.isNaN(r.scores().get("rubric").value()));
    assertTrue(
        r.failures().contains("bill: numeric: priority is 2, expected 3.5 ± 1.0"),
        r.failures().toString());
    assertEquals(r.inputTokens() + 2.0 * r.outputTokens(), r.costUsd(), 1e-9);
  }

  @Test
  void theRubricIsGradedByTheConfiguredJudge() throws Exception {
    RubricJudge rubric =
        new RubricJudge(
            new EvalHttp("http://127.0.0.1:" + judge.port() + "/v1", "sk-real"), "gpt-4o");
    EvalRunner.Report r =
        new EvalRunner(RuleModelServer.baseUrl(model), "sk-test", Optional.of(rubric), "unused")
            .run(PROMPT, SET, "gpt-4o-mini", null);

    assertEquals(new EvalRunner.Score("rubric", 1, 2, null), r.scores().get("rubric"));
    judge.verify(
        2,
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader(
                "Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer sk-real"))
            .withRequestBody(containing("Fits the ticket.")));
  }

  @Test
  void aCandidateLowerByMoreThanTheToleranceFails() throws Exception {
    EvalRunner runner =
        new EvalRunner(RuleModelServer.baseUrl(model), "sk-test", Optional.empty(), "no key");
    EvalRunner.Report good = runner.run(PROMPT, SET, "m", null);
    PromptTemplate worse =
        PromptTemplate.parse(
            "triage",
            "1.0.1",
            "[system]\nGive the category and its priority.\n[user]\n{{ticket}}"
                .getBytes(StandardCharsets.UTF_8));
    EvalRunner.Report bad = runner.run(worse, SET, "m", null);

    EvalRunner.Comparison c = EvalRunner.compare(good, bad, 0, 0.05);
    assertEquals(java.util.List.of("exact"), c.lowerBy());
    // exact: 3/4 against 1/4 (no tags asked for)
    assertEquals(0.75, good.scores().get("exact").value());
    assertEquals(0.25, bad.scores().get("exact").value());
    assertTrue(EvalRunner.compare(good, bad, 0.5, 0.05).passed());
    assertEquals(java.util.List.of("exact"), EvalRunner.compare(good, bad, 0.49, 0.05).lowerBy());
    assertTrue(EvalRunner.compare(bad, good, 0, 0.05).passed());
  }

  @Test
  void theRuleModelServerSpeaksTheChatCompletionsWireShape() throws Exception {
    EvalHttp http = new EvalHttp(RuleModelServer.baseUrl(model), "sk-test");
    EvalHttp.Reply ok =
        http.post(
            "/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Write short,"
                + " polite replies.\"},{\"role\":\"user\",\"content\":\"Customer: Bo\\nQuestion:"
                + " Are you open on Sunday?\"}]}");
    assertEquals(200, ok.status());
    assertTrue(EvalHttp.content(ok.body()).startsWith("Dear Bo,"), ok.body());
    assertTrue(ok.body().contains("\"prompt_tokens\""), ok.body());
    assertEquals(400, http.post("/chat/completions", "{\"model\":\"m\",\"messages\":[]}").status());
  }
}
