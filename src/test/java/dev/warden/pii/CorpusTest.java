package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall per entity type over the labelled corpus {@code pii/corpus.txt} (positives
 * in many formats, and hard negatives). A detection counts as a true positive only when type and
 * range match a label exactly.
 */
class CorpusTest {

  private static final Pattern LABEL = Pattern.compile("\\{\\{([A-Z_]+)\\|(.*?)}}", Pattern.DOTALL);
  private static final double MIN_PRECISION = 0.95;
  private static final double MIN_RECALL = 0.9;

  record Span(String type, int start, int end) {}

  record Case(int line, String text, List<Span> labels) {}

  static List<Case> load() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = CorpusTest.class.getResourceAsStream("/pii/corpus.txt")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int n = 0; n < lines.length; n++) {
        String raw = lines[n];
        if (raw.isBlank() || raw.startsWith("#")) {
          continue;
        }
        raw = raw.replace("\\n", "\n");
        StringBuilder text = new StringBuilder();
        List<Span> labels = new ArrayList<>();
        Matcher m = LABEL.matcher(raw);
        int last = 0;
        while (m.find()) {
          text.append(raw, last, m.start());
          int start = text.length();
          text.append(m.group(2));
          labels.add(new Span(m.group(1), start, text.length()));
          last = m.end();
        }
        text.append(raw.substring(last));
        cases.add(new Case(n + 1, text.toString(), labels));
      }
    }
    return cases;
  }

  static PiiEngine engine() {
    return new PiiEngine(
        TestSettings.policy(
            "warden.pii.tenant.acme.pattern.EMPLOYEE_ID", "\\bEMP-\\d{6}\\b",
            "warden.pii.tenant.acme.dictionary.PROJECT", "Project Bluebird, Nightjar"));
  }

  @Test
  void precisionAndRecallPerType() throws IOException {
    PiiEngine engine = engine();
    Map<String, int[]> stats = new TreeMap<>(); // tp, fp, fn
    List<String> problems = new ArrayList<>();
    for (Case c : load()) {
      List<Span> found = new ArrayList<>();
      for (Detection d : engine.detect(c.text(), "acme")) {
        found.add(new Span(d.type().name(), d.start(), d.end()));
      }
      for (Span f : found) {
        int[] s = stats.computeIfAbsent(f.type(), k -> new int[3]);
        if (c.labels().contains(f)) {
          s[0]++;
        } else {
          s[1]++;
          problems.add(
              "FP line "
                  + c.line()
                  + " "
                  + f.type()
                  + ": "
                  + c.text().substring(f.start(), f.end()));
        }
      }
      for (Span l : c.labels()) {
        if (!found.contains(l)) {
          stats.computeIfAbsent(l.type(), k -> new int[3])[2]++;
          problems.add(
              "FN line "
                  + c.line()
                  + " "
                  + l.type()
                  + ": "
                  + c.text().substring(l.start(), l.end()));
        }
      }
    }
    problems.forEach(p -> System.out.println("[corpus] " + p));
    List<String> failures = new ArrayList<>();
    System.out.println("[corpus] type         precision  recall   (tp/fp/fn)");
    stats.forEach(
        (type, s) -> {
          double precision = s[0] + s[1] == 0 ? 1.0 : (double) s[0] / (s[0] + s[1]);
          double recall = s[0] + s[2] == 0 ? 1.0 : (double) s[0] / (s[0] + s[2]);
          System.out.printf(
              "[corpus] %-12s %9.3f %7.3f   (%d/%d/%d)%n",
              type, precision, recall, s[0], s[1], s[2]);
          if (precision < MIN_PRECISION || recall < MIN_RECALL) {
            failures.add(type);
          }
        });
    assertThat(stats)
        .containsKeys(
            "EMAIL",
            "PHONE",
            "CARD",
            "IBAN",
            "SSN",
            "IP",
            "DOB",
            "SECRET",
            "NHS_NUMBER",
            "NPI",
            "MBI");
    assertThat(failures)
        .as("types below precision %s / recall %s", MIN_PRECISION, MIN_RECALL)
        .isEmpty();
  }
}
