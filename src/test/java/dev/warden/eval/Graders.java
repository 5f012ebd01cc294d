package dev.warden.eval;

import dev.warden.guard.OutputViolation;
import dev.warden.guard.SchemaCheck;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic graders. Each check is one outcome of one grader for one case; a grader's score
 * is the share of its checks that pass.
 *
 * <ul>
 *   <li>{@link #SCHEMA}: the answer conforms to the golden set's schema (one check a case);
 *   <li>{@link #EXACT}: a field equals the expected value (arrays compare as sets);
 *   <li>{@link #NUMERIC}: a number is within the field's tolerance of the expected value.
 * </ul>
 */
final class Graders {
  static final String SCHEMA = "schema";
  static final String EXACT = "exact";
  static final String NUMERIC = "numeric";
  static final String RUBRIC = "rubric";

  /** Every grader, in report order. */
  static final List<String> ALL = List.of(SCHEMA, EXACT, NUMERIC, RUBRIC);

  private static final Pattern SENTENCE = Pattern.compile("[^.!?]*[.!?]+");
  private static final Pattern WORD = Pattern.compile("\\S+");

  /** One check's outcome; {@code why} says what failed, {@code null} when it passed. */
  record Check(String grader, String why) {
    boolean passed() {
      return why == null;
    }
  }

  private final SchemaCheck schemaCheck = new SchemaCheck();

  /** The deterministic checks of one answer ({@code null}: no answer, e.g. an HTTP error). */
  List<Check> grade(GoldenSet set, GoldenSet.Case c, String answer) {
    List<Check> checks = new ArrayList<>();
    if (answer == null) {
      checks.add(new Check(SCHEMA, "no answer"));
    } else {
      String json = set.jsonOutput() ? answer : Json.createValue(answer).toString();
      List<OutputViolation> violations = schemaCheck.check(set.schema(), json);
      checks.add(
          new Check(
              SCHEMA,
              violations.isEmpty()
                  ? null
                  : violations.get(0).location() + " " + violations.get(0).message()));
    }
    JsonObject fields = answer == null ? null : fields(set, c, answer);
    for (Map.Entry<String, JsonValue> e : c.expected().entrySet()) {
      String field = e.getKey();
      JsonValue actual = fields == null ? null : fields.get(field);
      if (set.exact().contains(field)) {
        checks.add(
            new Check(
                EXACT,
                same(e.getValue(), actual)
                    ? null
                    : field + " is " + shown(actual) + ", expected " + shown(e.getValue())));
      } else {
        double tolerance = set.numeric().get(field);
        double expected = ((JsonNumber) e.getValue()).doubleValue();
        boolean ok =
            actual instanceof JsonNumber n
                && Math.abs(n.doubleValue() - expected) <= tolerance + 1e-9;
        checks.add(
            new Check(
                NUMERIC,
                ok
                    ? null
                    : field
                        + " is "
                        + actual
                        + ", expected "
                        + e.getValue()
                        + " ± "
                        + String.format(Locale.ROOT, "%s", tolerance)));
      }
    }
    return checks;
  }

  /**
   * The graded fields of an answer: the JSON object itself for {@code json} output ({@code null}
   * when it is not one), measured fields for {@code text}.
   */
  static JsonObject fields(GoldenSet set, GoldenSet.Case c, String answer) {
    if (set.jsonOutput()) {
      try (JsonReader r = Json.createReader(new StringReader(answer))) {
        return r.readObject();
      } catch (RuntimeException e) {
        return null;
      }
    }
    JsonObjectBuilder b = Json.createObjectBuilder();
    int sentences = 0;
    Matcher m = SENTENCE.matcher(answer);
    while (m.find()) {
      if (!m.group().isBlank()) {
        sentences++;
      }
    }
    int words = 0;
    Matcher w = WORD.matcher(answer);
    while (w.find()) {
      words++;
    }
    b.add("sentences", sentences).add("words", words);
    c.vars().forEach((k, v) -> b.add("mentions_" + k, !v.isBlank() && answer.contains(v.strip())));
    return b.build();
  }

  /** A value for a failure line: a long text is not shown (answers are not printed in clear). */
  private static String shown(JsonValue v) {
    if (v instanceof JsonString s && s.getString().length() > 40) {
      return "a text of " + s.getString().length() + " characters";
    }
    return String.valueOf(v);
  }

  private static boolean same(JsonValue expected, JsonValue actual) {
    if (actual == null) {
      return false;
    }
    if (expected instanceof JsonArray e && actual instanceof JsonArray a) {
      return new HashSet<>(e).equals(new HashSet<>(a)) && e.size() == a.size();
    }
    if (expected instanceof JsonNumber e && actual instanceof JsonNumber a) {
      return e.bigDecimalValue().compareTo(a.bigDecimalValue()) == 0;
    }
    return expected.equals(actual);
  }
}
