package dev.warden.eval;

import dev.warden.openai.model.ChatMessage;
import dev.warden.prompt.PromptTemplate;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a golden set against one prompt version through an OpenAI-compatible endpoint (the rule
 * model's mock, Warden's {@code /v1} so the calls are governed and audited, or OpenAI) and grades
 * every answer: schema validity, exact fields, numeric fields and, when a judge is configured, the
 * model-graded rubric. {@link #compare} gates a candidate version against a baseline.
 */
public final class EvalRunner {

  /** A model's price in US dollars per million input and output tokens. */
  public record Price(double inputPerMillion, double outputPerMillion) {}

  /** One grader's result: its checks, or why it did not run. */
  public record Score(String grader, int passed, int total, String skipped) {
    /** The share of passed checks; {@code NaN} when skipped or without checks. */
    public double value() {
      return skipped != null || total == 0 ? Double.NaN : (double) passed / total;
    }

    boolean ran() {
      return skipped == null && total > 0;
    }
  }

  /** The result of one prompt version on one model. */
  public record Report(
      String prompt,
      String version,
      String sha256,
      String model,
      int cases,
      int casesPassed,
      Map<String, Score> scores,
      long inputTokens,
      long outputTokens,
      Double costUsd,
      long p50Millis,
      long maxMillis,
      List<String> failures) {
    /** The share of cases every check of which passed. */
    public double passRate() {
      return cases == 0 ? 0 : (double) casesPassed / cases;
    }
  }

  /** One grader's line of a comparison. */
  public record Row(String grader, Score baseline, Score candidate, boolean lower) {}

  /** Baseline against candidate, grader by grader; {@link #passed()} is the gate. */
  public record Comparison(Report baseline, Report candidate, List<Row> rows) {
    public boolean passed() {
      return rows.stream().noneMatch(Row::lower);
    }

    /** The graders by which the candidate scores lower. */
    public List<String> lowerBy() {
      return rows.stream().filter(Row::lower).map(Row::grader).toList();
    }
  }

  private final EvalHttp http;
  private final Optional<RubricJudge> judge;
  private final String rubricSkipped;
  private final Graders graders = new Graders();

  /**
   * @param baseUrl the OpenAI-compatible base URL the answers come from
   * @param apiKey its bearer token
   * @param judge the rubric judge, empty when the rubric is not graded
   * @param rubricSkipped why the rubric is not graded (reported when {@code judge} is empty)
   */
  EvalRunner(String baseUrl, String apiKey, Optional<RubricJudge> judge, String rubricSkipped) {
    this.http = new EvalHttp(baseUrl, apiKey);
    this.judge = judge;
    this.rubricSkipped = rubricSkipped;
  }

  /** Runs every case of {@code set} with {@code prompt} on {@code model}. */
  public Report run(PromptTemplate prompt, GoldenSet set, String model, Price price)
      throws IOException {
    if (!prompt.ref().id().equals(set.prompt())) {
      throw new IllegalArgumentException(
          "the golden set is for " + set.prompt() + ", not " + prompt.ref().id());
    }
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (String g : Graders.ALL) {
      counts.put(g, new int[2]);
    }
    int casesPassed = 0;
    long in = 0;
    long out = 0;
    List<Long> latencies = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (GoldenSet.Case c : set.cases()) {
      long start = System.nanoTime();
      EvalHttp.Reply reply = http.post("/chat/completions", request(prompt, set, c, model));
      latencies.add((System.nanoTime() - start) / 1_000_000);
      String answer = null;
      if (reply.status() == 200) {
        answer = EvalHttp.content(reply.body());
        try (JsonReader r = Json.createReader(new StringReader(reply.body()))) {
          JsonObject usage = r.readObject().getJsonObject("usage");
          if (usage != null) {
            in += usage.getJsonNumber("prompt_tokens").longValue();
            out += usage.getJsonNumber("completion_tokens").longValue();
          }
        }
      } else {
        failures.add(c.id() + ": HTTP " + reply.status());
      }
      List<Graders.Check> checks = new ArrayList<>(graders.grade(set, c, answer));
      if (judge.isPresent() && set.rubric().isPresent()) {
        boolean pass = answer != null && judge.get().passes(set.rubric().get(), c.vars(), answer);
        checks.add(new Graders.Check(Graders.RUBRIC, pass ? null : "does not meet the rubric"));
      }
      boolean all = true;
      for (Graders.Check check : checks) {
        int[] n = counts.get(check.grader());
        n[1]++;
        if (check.passed()) {
          n[0]++;
        } else {
          all = false;
          failures.add(c.id() + ": " + check.grader() + ": " + check.why());
        }
      }
      if (all) {
        casesPassed++;
      }
    }
    Map<String, Score> scores = new LinkedHashMap<>();
    for (String g : Graders.ALL) {
      int[] n = counts.get(g);
      String skipped = null;
      if (g.equals(Graders.RUBRIC)) {
        if (set.rubric().isEmpty()) {
          skipped = "skipped: the golden set has no rubric";
        } else if (judge.isEmpty()) {
          skipped = "skipped by configuration: " + rubricSkipped;
        }
      } else if (n[1] == 0) {
        skipped = "skipped: no expected fields for it";
      }
      scores.put(g, new Score(g, n[0], n[1], skipped));
    }
    latencies.sort(null);
    Double cost =
        price == null
            ? null
            : in / 1e6 * price.inputPerMillion() + out / 1e6 * price.outputPerMillion();
    return new Report(
        prompt.ref().id(),
        prompt.ref().version(),
        prompt.ref().sha256(),
        model,
        set.cases().size(),
        casesPassed,
        scores,
        in,
        out,
        cost,
        latencies.isEmpty() ? 0 : latencies.get((latencies.size() - 1) / 2),
        latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
        failures);
  }

  private static String request(
      PromptTemplate prompt, GoldenSet set, GoldenSet.Case c, String model) {
    JsonArrayBuilder messages = Json.createArrayBuilder();
    for (ChatMessage m : prompt.render(c.vars())) {
      messages.add(Json.createObjectBuilder().add("role", m.role()).add("content", m.text()));
    }
    JsonObjectBuilder body =
        Json.createObjectBuilder().add("model", model).add("messages", messages);
    if (set.jsonOutput()) {
      body.add(
          "response_format",
          Json.createObjectBuilder()
              .add("type", "json_schema")
              .add(
                  "json_schema",
                  Json.createObjectBuilder()
                      .add("name", set.prompt().replaceAll("[^A-Za-z0-9_-]", "_"))
                      .add("strict", true)
                      .add("schema", set.schema())));
    }
    return body.build().toString();
  }

  /**
   * Compares two reports grader by grader. The candidate is lower by a grader that ran for both
   * when its score is below the baseline's by more than the tolerance: {@code tolerance} for the
   * deterministic graders, {@code rubricTolerance} for the model-graded rubric.
   */
  public static Comparison compare(
      Report baseline, Report candidate, double tolerance, double rubricTolerance) {
    List<Row> rows = new ArrayList<>();
    for (String g : Graders.ALL) {
      Score b = baseline.scores().get(g);
      Score c = candidate.scores().get(g);
      double allowed = g.equals(Graders.RUBRIC) ? rubricTolerance : tolerance;
      boolean lower = b.ran() && (!c.ran() || c.value() < b.value() - allowed - 1e-12);
      rows.add(new Row(g, b, c, lower));
    }
    return new Comparison(baseline, candidate, rows);
  }

  /** A comparison as a table: one line per grader, then the verdict. */
  public static String table(Comparison c, double tolerance, double rubricTolerance) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "compare %s: baseline %s (sha256 %s), candidate %s (sha256 %s), %d cases, model %s%n",
            c.baseline().prompt(),
            c.baseline().version(),
            c.baseline().sha256().substring(0, 12),
            c.candidate().version(),
            c.candidate().sha256().substring(0, 12),
            c.baseline().cases(),
            c.baseline().model()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-8s %-16s %-16s %8s  %s%n",
            "grader",
            "baseline",
            "candidate",
            "delta",
            "verdict"));
    for (Row r : c.rows()) {
      String delta =
          r.baseline().ran() && r.candidate().ran()
              ? String.format(
                  Locale.ROOT, "%+7.1f%%", (r.candidate().value() - r.baseline().value()) * 100)
              : "-";
      String verdict;
      if (r.lower()) {
        verdict =
            "LOWER (tolerance "
                + pct(r.grader().equals(Graders.RUBRIC) ? rubricTolerance : tolerance)
                + ")";
      } else if (!r.baseline().ran() || !r.candidate().ran()) {
        verdict =
            r.candidate().skipped() != null ? r.candidate().skipped() : r.baseline().skipped();
      } else {
        verdict = "ok";
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%-8s %-16s %-16s %8s  %s%n",
              r.grader(),
              cell(r.baseline()),
              cell(r.candidate()),
              delta,
              verdict));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "cases passing every check: baseline %d/%d, candidate %d/%d%n",
            c.baseline().casesPassed(),
            c.baseline().cases(),
            c.candidate().casesPassed(),
            c.candidate().cases()));
    sb.append(
        c.passed()
            ? "PASSED: the candidate scores no lower than the baseline on any grader\n"
            : "FAILED: the candidate scores lower on " + String.join(", ", c.lowerBy()) + "\n");
    return sb.toString();
  }

  /** One report per model as a table: every grader's score, tokens, cost, latency. */
  public static String table(List<Report> reports) {
    StringBuilder sb = new StringBuilder();
    for (Report r : reports) {
      sb.append(
          String.format(
              Locale.ROOT,
              "eval %s %s (sha256 %s), %d cases, model %s%n",
              r.prompt(),
              r.version(),
              r.sha256().substring(0, 12),
              r.cases(),
              r.model()));
      for (Score s : r.scores().values()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-8s %-16s %s%n",
                s.grader(),
                cell(s),
                s.skipped() == null ? "" : s.skipped()));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "  pass rate %.1f%% (%d/%d cases), tokens in %d out %d, cost USD %s, p50 %d ms,"
                  + " max %d ms%n",
              r.passRate() * 100,
              r.casesPassed(),
              r.cases(),
              r.inputTokens(),
              r.outputTokens(),
              r.costUsd() == null ? "-" : String.format(Locale.ROOT, "%.6f", r.costUsd()),
              r.p50Millis(),
              r.maxMillis()));
    }
    return sb.toString();
  }

  /** The failed checks of a report, one a line (case id, grader, what differed). */
  public static String failures(Report r, int max) {
    StringBuilder sb = new StringBuilder();
    r.failures().stream()
        .limit(max)
        .forEach(
            f -> sb.append("  ").append(r.version()).append(" failed ").append(f).append('\n'));
    if (r.failures().size() > max) {
      sb.append("  ... and ").append(r.failures().size() - max).append(" more\n");
    }
    return sb.toString();
  }

  private static String cell(Score s) {
    return s.ran()
        ? String.format(Locale.ROOT, "%5.1f%% %d/%d", s.value() * 100, s.passed(), s.total())
        : "-";
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", v * 100);
  }
}
