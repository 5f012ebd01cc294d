package dev.warden.eval;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A prompt's golden set: a JSONL file whose first line is the header and every further line a case
 * (blank lines and lines starting with {@code //} are skipped).
 *
 * <pre>
 * {"prompt": "ticket-triage", "output": "json", "schema": {...},
 *  "exact": ["category", "tags"], "numeric": {"priority": 0}, "rubric": "..."}
 * {"id": "vpn-berlin", "vars": {"ticket": "..."}, "expected": {"category": "OUTAGE", ...}}
 * </pre>
 *
 * <p>{@code output} is {@code json} (the answer is requested with {@code response_format:
 * json_schema} and {@code schema}, and its fields are graded) or {@code text} (the answer is free
 * text, valid against {@code schema} as a JSON string, and the graded fields are measured from it:
 * {@code sentences}, {@code words} and {@code mentions_<variable>}, whether the text contains that
 * variable's value). {@code exact} names the fields compared for equality (arrays as sets), {@code
 * numeric} the fields compared as numbers with their absolute tolerance, {@code rubric} the
 * instructions for the model-graded rubric (optional). A case's {@code expected} holds the fields
 * it grades; every one must be listed under {@code exact} or {@code numeric}.
 */
public record GoldenSet(
    String prompt,
    boolean jsonOutput,
    JsonObject schema,
    List<String> exact,
    Map<String, Double> numeric,
    Optional<String> rubric,
    List<Case> cases) {

  /** One case: its id, the prompt's variables and the expected fields. */
  public record Case(String id, Map<String, String> vars, JsonObject expected) {}

  /** Fields measured from a text answer, besides {@code mentions_<variable>}. */
  static final Set<String> TEXT_FIELDS = Set.of("sentences", "words");

  /** Reads and checks a golden set file. */
  public static GoldenSet read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Parses a golden set.
   *
   * @throws IllegalArgumentException naming the line of the first problem
   */
  public static GoldenSet parse(String jsonl) {
    JsonObject header = null;
    List<Case> cases = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<String> exact = List.of();
    Map<String, Double> numeric = Map.of();
    int n = 0;
    for (String line : jsonl.split("\n")) {
      n++;
      if (line.isBlank() || line.strip().startsWith("//")) {
        continue;
      }
      JsonObject o;
      try (JsonReader r = Json.createReader(new StringReader(line))) {
        o = r.readObject();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + n + ": not a JSON object");
      }
      if (header == null) {
        header = o;
        if (!o.containsKey("prompt") || !o.containsKey("schema") || !o.containsKey("output")) {
          throw new IllegalArgumentException(
              "line " + n + ": the header needs prompt, output and schema");
        }
        if (!Set.of("json", "text").contains(o.getString("output"))) {
          throw new IllegalArgumentException("line " + n + ": output is json or text");
        }
        exact =
            o.containsKey("exact")
                ? o.getJsonArray("exact").getValuesAs(JsonString::getString)
                : List.of();
        Map<String, Double> tolerances = new LinkedHashMap<>();
        if (o.containsKey("numeric")) {
          o.getJsonObject("numeric")
              .forEach((k, v) -> tolerances.put(k, ((JsonNumber) v).doubleValue()));
        }
        numeric = tolerances;
        continue;
      }
      String id = o.getString("id", "");
      if (id.isEmpty() || !ids.add(id)) {
        throw new IllegalArgumentException("line " + n + ": every case needs its own id");
      }
      JsonObject expected = o.getJsonObject("expected");
      if (expected == null || expected.isEmpty()) {
        throw new IllegalArgumentException("line " + n + ": expected is required");
      }
      for (Map.Entry<String, JsonValue> e : expected.entrySet()) {
        String field = e.getKey();
        if (!exact.contains(field) && !numeric.containsKey(field)) {
          throw new IllegalArgumentException(
              "line " + n + ": expected field " + field + " is graded by no grader");
        }
        if (numeric.containsKey(field) && !(e.getValue() instanceof JsonNumber)) {
          throw new IllegalArgumentException(
              "line " + n + ": expected field " + field + " is graded as a number, not a number");
        }
      }
      Map<String, String> vars = new LinkedHashMap<>();
      JsonObject v = o.getJsonObject("vars");
      if (v != null) {
        v.forEach(
            (k, value) ->
                vars.put(
                    k,
                    value.getValueType() == JsonValue.ValueType.STRING
                        ? ((JsonString) value).getString()
                        : value.toString()));
      }
      cases.add(new Case(id, Map.copyOf(vars), expected));
    }
    if (header == null) {
      throw new IllegalArgumentException("no header line");
    }
    return new GoldenSet(
        header.getString("prompt"),
        header.getString("output").equals("json"),
        header.getJsonObject("schema"),
        exact,
        numeric,
        Optional.ofNullable(header.getString("rubric", null)),
        List.copyOf(cases));
  }
}
