package dev.warden.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gate CI runs in {@code mvn verify}: the compare command on the shipped prompt versions and on
 * the deliberately broken versions under {@code src/test/resources/evals/broken-prompts}, on the
 * rule model's mock and without {@code OPENAI_API_KEY} (the rubric is skipped by configuration,
 * whatever the environment holds).
 */
class EvalCompareTest {

  private static final String WITH_BROKEN =
      "config/prompts,src/test/resources/evals/broken-prompts";

  private record Run(int exit, String out, String err) {}

  private static Run eval(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        EvalMain.execute(
            args,
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String line(String table, String grader) {
    return table.lines().filter(l -> l.startsWith(grader + " ")).findFirst().orElseThrow();
  }

  @Test
  void theShippedTriageVersionPassesAgainstItsPredecessor() {
    Run r =
        eval("compare", "--prompt", "ticket-triage", "--baseline", "1.0.0", "--candidate", "1.1.0");

    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("PASSED"), r.out());
    assertTrue(r.out().contains("55 cases"), r.out());
    // 1.0.0 asks for no tags and has no priority rule: 1.1.0 is better by both graders
    assertTrue(line(r.out(), "exact").contains("58.2% 64/110     95.5% 105/110"), r.out());
    assertTrue(line(r.out(), "numeric").contains("90.9% 50/55     100.0% 55/55"), r.out());
    assertTrue(line(r.out(), "schema").contains("100.0% 55/55     100.0% 55/55"), r.out());
    assertTrue(
        line(r.out(), "rubric").endsWith("skipped by configuration: OPENAI_API_KEY is not set"),
        r.out());
  }

  @Test
  void goingBackToTheOlderTriageVersionFails() {
    Run r =
        eval("compare", "--prompt", "ticket-triage", "--baseline", "1.1.0", "--candidate", "1.0.0");

    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("FAILED: the candidate scores lower on exact, numeric"), r.out());
  }

  @Test
  void theShippedReplyVersionPassesAgainstItself() {
    Run r =
        eval("compare", "--prompt", "support-reply", "--baseline", "1.0.0", "--candidate", "1.0.0");

    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(line(r.out(), "exact").contains("100.0% 52/52"), r.out());
    assertTrue(line(r.out(), "numeric").contains("100.0% 52/52"), r.out());
  }

  @Test
  void aTriageVersionThatNarrowsThePriorityRuleIsCaughtByTheNumericGrader() {
    Run r =
        eval(
            "compare",
            "--prompt",
            "ticket-triage",
            "--baseline",
            "1.1.0",
            "--candidate",
            "1.2.0",
            "--prompts",
            WITH_BROKEN);

    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("FAILED: the candidate scores lower on numeric\n"), r.out());
    assertTrue(line(r.out(), "numeric").contains("LOWER"), r.out());
    assertTrue(line(r.out(), "exact").endsWith("ok"), r.out());
    // the security incidents lost priority 1
    assertTrue(r.out().contains("ransomware: numeric: priority is 2, expected 1"), r.out());
  }

  @Test
  void aReplyVersionThatDropsPolitenessIsCaughtByTheExactGrader() {
    Run r =
        eval(
            "compare",
            "--prompt",
            "support-reply",
            "--baseline",
            "1.0.0",
            "--candidate",
            "1.1.0",
            "--prompts",
            WITH_BROKEN);

    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(line(r.out(), "exact").contains("0.0% 0/52"), r.out());
    assertTrue(line(r.out(), "exact").contains("LOWER"), r.out());
    assertTrue(r.out().contains("mentions_customer is false, expected true"), r.out());
  }

  @Test
  void aToleranceLetsASmallDropPass() {
    Run r =
        eval(
            "compare",
            "--prompt",
            "ticket-triage",
            "--baseline",
            "1.1.0",
            "--candidate",
            "1.2.0",
            "--prompts",
            WITH_BROKEN,
            "--tolerance",
            "0.15");

    assertEquals(0, r.exit(), r.out());
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, eval("compare", "--prompt", "ticket-triage").exit());
    Run unknown =
        eval("compare", "--prompt", "ticket-triage", "--baseline", "1.0.0", "--candidate", "9.9.9");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("ticket-triage 9.9.9 is not published"), unknown.err());
  }

  @Test
  void runReportsEveryGraderPerModel() {
    Run r =
        eval(
            "run",
            "--prompt",
            "ticket-triage@1.1.0",
            "--models",
            "gpt-4o-mini,gpt-4.1-nano",
            "--prices",
            "gpt-4o-mini=0.15/0.60",
            "--min-pass-rate",
            "0.9");

    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("model gpt-4o-mini") && r.out().contains("model gpt-4.1-nano"));
    assertTrue(r.out().contains("pass rate 92.7% (51/55 cases)"), r.out());
    assertEquals(
        1,
        eval("run", "--prompt", "ticket-triage@1.0.0", "--models", "m", "--min-pass-rate", "0.9")
            .exit());
  }
}
