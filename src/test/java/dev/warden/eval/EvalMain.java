package dev.warden.eval;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.warden.prompt.PromptCatalog;
import dev.warden.prompt.PromptTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluation command ({@code mvn -Peval ...} or {@code src/test/evals/run.sh ...}).
 *
 * <pre>
 * compare --prompt ticket-triage --baseline 1.0.0 --candidate 1.1.0
 *     [--golden config/evals/ticket-triage.jsonl] [--prompts config/prompts,other/prompts]
 *     [--model gpt-4o-mini] [--base-url URL --api-key KEY]
 *     [--tolerance 0] [--rubric-tolerance 0.05] [--judge-model gpt-4o-mini]
 *     [--judge-base-url https://api.openai.com/v1]
 * run --prompt ticket-triage@1.1.0 --models gpt-4o-mini,gpt-4.1-nano
 *     [--prices gpt-4o-mini=0.15/0.60] [--min-pass-rate 0.9] (and the options above)
 * </pre>
 *
 * Without {@code --base-url} the answers come from the {@link RuleModel} mock started in-process.
 * The model-graded rubric runs only when {@code OPENAI_API_KEY} is set. {@code compare} exits 1
 * when the candidate scores lower than the baseline by any grader, {@code run} when a model's pass
 * rate is below {@code --min-pass-rate}; both exit 2 on a usage error.
 */
public final class EvalMain {
  private EvalMain() {}

  static final String USAGE =
      "usage: compare --prompt <id> --baseline <version> --candidate <version> | run --prompt"
          + " <id>[@<version>] --models m1,m2 [--prices m=in/out,...] [--min-pass-rate 0.9];"
          + " options: --golden file.jsonl --prompts dir[,dir] --model m --base-url URL --api-key"
          + " KEY --tolerance 0 --rubric-tolerance 0.05 --judge-model m --judge-base-url URL";

  public static void main(String[] args) {
    System.exit(execute(args, System.getenv(), System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Map<String, String> o = new HashMap<>();
    String mode = args.length > 0 ? args[0] : "";
    for (int i = 1; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    if (!o.containsKey("prompt")
        || !(mode.equals("compare") && o.containsKey("baseline") && o.containsKey("candidate")
            || mode.equals("run") && o.containsKey("models"))) {
      err.println(USAGE);
      return 2;
    }
    String id = o.get("prompt").split("@", 2)[0];
    WireMockServer mock = null;
    try {
      List<PromptCatalog> catalogs = new ArrayList<>();
      for (String dir : o.getOrDefault("prompts", "config/prompts").split(",")) {
        PromptCatalog catalog = new PromptCatalog(path -> read(Path.of(dir.strip()), path));
        if (!catalog.problems().isEmpty()) {
          err.println("prompt catalog " + dir + ": " + catalog.problems());
          return 2;
        }
        catalogs.add(catalog);
      }
      GoldenSet set =
          GoldenSet.read(Path.of(o.getOrDefault("golden", "config/evals/" + id + ".jsonl")));
      String baseUrl = o.get("base-url");
      if (baseUrl == null) {
        mock = RuleModelServer.launch();
        baseUrl = RuleModelServer.baseUrl(mock);
      }
      String key = env.get("OPENAI_API_KEY");
      Optional<RubricJudge> judge =
          key == null || key.isBlank()
              ? Optional.empty()
              : Optional.of(
                  new RubricJudge(
                      new EvalHttp(
                          o.getOrDefault("judge-base-url", "https://api.openai.com/v1"), key),
                      o.getOrDefault("judge-model", "gpt-4o-mini")));
      EvalRunner runner =
          new EvalRunner(
              baseUrl, o.getOrDefault("api-key", "sk-eval"), judge, "OPENAI_API_KEY is not set");
      if (mode.equals("compare")) {
        double tolerance = Double.parseDouble(o.getOrDefault("tolerance", "0"));
        double rubricTolerance = Double.parseDouble(o.getOrDefault("rubric-tolerance", "0.05"));
        String model = o.getOrDefault("model", "gpt-4o-mini");
        EvalRunner.Report baseline =
            runner.run(select(catalogs, id, o.get("baseline")), set, model, null);
        EvalRunner.Report candidate =
            runner.run(select(catalogs, id, o.get("candidate")), set, model, null);
        EvalRunner.Comparison c =
            EvalRunner.compare(baseline, candidate, tolerance, rubricTolerance);
        out.print(EvalRunner.table(c, tolerance, rubricTolerance));
        out.print(EvalRunner.failures(candidate, 20));
        return c.passed() ? 0 : 1;
      }
      String[] prompt = o.get("prompt").split("@", 2);
      PromptTemplate template = select(catalogs, id, prompt.length > 1 ? prompt[1] : "");
      Map<String, EvalRunner.Price> prices = parsePrices(o.getOrDefault("prices", ""));
      double minPassRate = Double.parseDouble(o.getOrDefault("min-pass-rate", "0"));
      List<EvalRunner.Report> reports = new ArrayList<>();
      boolean below = false;
      for (String model : o.get("models").split(",")) {
        EvalRunner.Report r = runner.run(template, set, model.strip(), prices.get(model.strip()));
        reports.add(r);
        below |= r.passRate() < minPassRate;
      }
      out.print(EvalRunner.table(reports));
      for (EvalRunner.Report r : reports) {
        out.print(EvalRunner.failures(r, 20));
      }
      return below ? 1 : 0;
    } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
      err.println("eval: " + e.getMessage());
      return 2;
    } finally {
      if (mock != null) {
        mock.stop();
      }
    }
  }

  private static PromptTemplate select(List<PromptCatalog> catalogs, String id, String version) {
    for (PromptCatalog c : catalogs) {
      Optional<PromptTemplate> t = c.select(id, version);
      if (t.isPresent()) {
        return t.get();
      }
    }
    throw new IllegalArgumentException(
        "prompt " + id + " " + (version.isEmpty() ? "" : version + " ") + "is not published");
  }

  private static byte[] read(Path root, String path) {
    Path file = root.resolve(path);
    try {
      return Files.exists(file) ? Files.readAllBytes(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, EvalRunner.Price> parsePrices(String spec) {
    Map<String, EvalRunner.Price> prices = new HashMap<>();
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] kv = entry.split("=", 2);
      String[] io = kv[1].split("/", 2);
      prices.put(
          kv[0].strip(),
          new EvalRunner.Price(Double.parseDouble(io[0]), Double.parseDouble(io[1])));
    }
    return prices;
  }
}
