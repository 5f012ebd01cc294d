package dev.warden.eval;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;

/**
 * The model-graded rubric: a real model reads the golden set's rubric, the case's input and the
 * answer, and says whether the answer meets the rubric ({@code {"pass": true|false}}, requested
 * with a strict JSON schema). It runs only when a real key is configured ({@code OPENAI_API_KEY});
 * otherwise the report lists the grader as skipped by configuration, with no score.
 */
final class RubricJudge {

  private static final String SYSTEM =
      "You grade one answer of an AI assistant against a rubric. Read the rubric, the input the"
          + " assistant was given and its answer. Answer pass=true only when the answer meets every"
          + " point of the rubric.";

  private static final JsonObject FORMAT =
      Json.createObjectBuilder()
          .add("type", "json_schema")
          .add(
              "json_schema",
              Json.createObjectBuilder()
                  .add("name", "rubric_grade")
                  .add("strict", true)
                  .add(
                      "schema",
                      Json.createObjectBuilder()
                          .add("type", "object")
                          .add(
                              "properties",
                              Json.createObjectBuilder()
                                  .add("pass", Json.createObjectBuilder().add("type", "boolean")))
                          .add("required", Json.createArrayBuilder().add("pass"))
                          .add("additionalProperties", false)))
          .build();

  private final EvalHttp http;
  private final String model;

  /**
   * @param http the judge's endpoint and key (a real OpenAI-compatible endpoint)
   * @param model the judging model
   */
  RubricJudge(EvalHttp http, String model) {
    this.http = http;
    this.model = model;
  }

  /** Whether {@code answer} to {@code vars} meets {@code rubric}. */
  boolean passes(String rubric, Map<String, String> vars, String answer) throws IOException {
    StringBuilder input = new StringBuilder();
    vars.forEach((k, v) -> input.append(k).append(": ").append(v).append('\n'));
    String body =
        Json.createObjectBuilder()
            .add("model", model)
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "system").add("content", SYSTEM))
                    .add(
                        Json.createObjectBuilder()
                            .add("role", "user")
                            .add(
                                "content",
                                "Rubric:\n"
                                    + rubric
                                    + "\n\nInput:\n"
                                    + input
                                    + "\nAnswer:\n"
                                    + answer)))
            .add("response_format", FORMAT)
            .build()
            .toString();
    EvalHttp.Reply reply = http.post("/chat/completions", body);
    if (reply.status() != 200) {
      throw new IOException("the rubric judge answered HTTP " + reply.status());
    }
    try (JsonReader r = Json.createReader(new StringReader(EvalHttp.content(reply.body())))) {
      return r.readObject().getBoolean("pass");
    }
  }
}
