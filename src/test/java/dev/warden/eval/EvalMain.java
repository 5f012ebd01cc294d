package dev.warden.eval;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.warden.mock.MockOpenAiServer;
import dev.warden.prompt.PromptCatalog;
import dev.warden.prompt.PromptTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The eval command ({@code src/test/evals/run.sh}): runs {@code config/evals/<prompt-id>.jsonl}
 * against a published prompt version and a list of models and prints pass rate, tokens, cost and
 * latency per model.
 *
 * <pre>
 * src/test/evals/run.sh --prompt ticket-triage@1.0.0 --models gpt-4o-mini,gpt-4.1-nano \
 *     [--base-url http://localhost:9080/warden/v1 --api-key KEY] \
 *     [--prices gpt-4o-mini=0.15/0.60,gpt-4.1-nano=0.10/0.40] [--min-pass-rate 0.9]
 * </pre>
 *
 * Without {@code --base-url} it starts the mock upstream in-process (CI). Exits 1 when a model's
 * pass rate is below {@code --min-pass-rate}, 2 on a usage error.
 */
public final class EvalMain {
  private EvalMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    if (!o.containsKey("prompt") || !o.containsKey("models")) {
      System.err.println(
          "usage: --prompt <id>[@<version>] --models m1,m2 [--base-url URL --api-key KEY]"
              + " [--prices m=in/out,...] [--min-pass-rate 0.9] [--dataset file.jsonl]");
      System.exit(2);
    }
    String[] prompt = o.get("prompt").split("@", 2);
    String id = prompt[0];
    String version = prompt.length > 1 ? prompt[1] : "";
    PromptCatalog catalog = new PromptCatalog(EvalMain::readPromptFile);
    if (!catalog.problems().isEmpty()) {
      System.err.println("prompt catalog: " + catalog.problems());
      System.exit(2);
    }
    PromptTemplate template =
        catalog
            .select(id, version)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "prompt " + o.get("prompt") + " is not published"));
    Path dataset = Path.of(o.getOrDefault("dataset", "config/evals/" + id + ".jsonl"));
    List<EvalRunner.Case> cases =
        EvalRunner.parse(Files.readString(dataset, StandardCharsets.UTF_8));
    Map<String, EvalRunner.Price> prices = parsePrices(o.getOrDefault("prices", ""));
    double minPassRate = Double.parseDouble(o.getOrDefault("min-pass-rate", "0"));

    WireMockServer mock = null;
    String baseUrl = o.get("base-url");
    if (baseUrl == null) {
      mock = MockOpenAiServer.start(0);
      baseUrl = MockOpenAiServer.baseUrl(mock);
    }
    boolean belowMinimum = false;
    try {
      EvalRunner runner = new EvalRunner(baseUrl, o.getOrDefault("api-key", "sk-eval"));
      List<EvalRunner.ModelReport> reports = new ArrayList<>();
      for (String model : o.get("models").split(",")) {
        EvalRunner.ModelReport r =
            runner.run(template, cases, model.strip(), prices.get(model.strip()));
        reports.add(r);
        belowMinimum |= r.passRate() < minPassRate;
      }
      System.out.print(
          EvalRunner.table(
              id
                  + " "
                  + template.ref().version()
                  + " (sha256 "
                  + template.ref().sha256().substring(0, 12)
                  + ", "
                  + cases.size()
                  + " cases, "
                  + (mock == null ? baseUrl : "mock upstream")
                  + ")",
              reports));
    } finally {
      if (mock != null) {
        mock.stop();
      }
    }
    System.exit(belowMinimum ? 1 : 0);
  }

  private static byte[] readPromptFile(String path) {
    Path file = Path.of("config/prompts").resolve(path);
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
