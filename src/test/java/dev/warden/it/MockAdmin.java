package dev.warden.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Programs the mock upstream (WireMock) through its admin HTTP API, so that tests running inside
 * Liberty can layer faults over the mock's default OpenAI behaviour and count what reached it.
 * Stubs added here sit at priority 1, above the defaults; {@link #reset()} removes them and clears
 * the request journal.
 */
public final class MockAdmin {

  private final URI admin;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> stubIds = new ArrayList<>();

  public MockAdmin(int port) {
    this.admin = URI.create("http://127.0.0.1:" + port + "/__admin/");
  }

  /**
   * The mock of the integration tests: {@code mock.port} is set both in the Failsafe JVM and in the
   * IT server's JVM (see pom.xml), so client-side and in-container tests program the same mock.
   */
  public static MockAdmin forIntegrationTests() {
    String port = System.getProperty("mock.port");
    if (port == null) {
      throw new IllegalStateException(
          "mock.port is not set: run the ITs through Maven (mvn verify)");
    }
    return new MockAdmin(Integer.parseInt(port));
  }

  /** A request pattern for one endpoint: POST /v1/chat/completions and so on. */
  public static JsonObjectBuilder request(String method, String path) {
    return Json.createObjectBuilder().add("method", method).add("urlPath", path);
  }

  /** Streamed chat completions: POST /v1/chat/completions with {@code "stream": true}. */
  public static JsonObjectBuilder streamedChat() {
    return request("POST", "/v1/chat/completions")
        .add(
            "bodyPatterns",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("matchesJsonPath", "$[?(@.stream == true)]")));
  }

  /** Matches requests whose JSON body has {@code "model": model}. */
  public static JsonObjectBuilder forModel(JsonObjectBuilder request, String model) {
    return request.add(
        "bodyPatterns",
        Json.createArrayBuilder()
            .add(
                Json.createObjectBuilder()
                    .add("matchesJsonPath", "$[?(@.model == '" + model + "')]")));
  }

  /** An OpenAI error answer. */
  public static JsonObjectBuilder error(int status, String type, String code, String message) {
    JsonObject body =
        Json.createObjectBuilder()
            .add(
                "error",
                Json.createObjectBuilder()
                    .add("message", message)
                    .add("type", type)
                    .add("param", JsonValue.NULL)
                    .add("code", code == null ? JsonValue.NULL : Json.createValue(code)))
            .build();
    return Json.createObjectBuilder()
        .add("status", status)
        .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
        .add("body", body.toString());
  }

  /** A {@code text/event-stream} answer with exactly this body (e.g. a stream cut mid-way). */
  public static JsonObjectBuilder eventStream(String body) {
    return Json.createObjectBuilder()
        .add("status", 200)
        .add("headers", Json.createObjectBuilder().add("Content-Type", "text/event-stream"))
        .add("body", body);
  }

  /**
   * The mock's own OpenAI answer, delivered in {@code chunks} pieces spread over {@code totalMs} (a
   * slow stream).
   */
  public static JsonObjectBuilder slowDefault(int chunks, int totalMs) {
    return Json.createObjectBuilder()
        .add("transformers", Json.createArrayBuilder().add("openai-mock"))
        .add(
            "chunkedDribbleDelay",
            Json.createObjectBuilder().add("numberOfChunks", chunks).add("totalDuration", totalMs));
  }

  /** Adds a stub that answers every matching request. */
  public void stub(JsonObjectBuilder request, JsonObjectBuilder response) {
    add(
        Json.createObjectBuilder()
            .add("priority", 1)
            .add("request", request)
            .add("response", response));
  }

  /**
   * Adds a stub that answers only the first {@code times} matching requests; later ones fall
   * through to the defaults (a WireMock scenario per stub).
   */
  public void stubTimes(int times, JsonObjectBuilder requestTemplate, JsonObjectBuilder response) {
    JsonObject request = requestTemplate.build();
    JsonObject answer = response.build();
    String scenario = "s-" + System.nanoTime();
    for (int i = 0; i < times; i++) {
      add(
          Json.createObjectBuilder()
              .add("priority", 1)
              .add("scenarioName", scenario)
              .add("requiredScenarioState", i == 0 ? "Started" : "step-" + i)
              .add("newScenarioState", "step-" + (i + 1))
              .add("request", request)
              .add("response", answer));
    }
  }

  /** How many requests matching the pattern reached the mock since the last reset. */
  public int count(JsonObjectBuilder request) {
    JsonObject result = post("requests/count", request.build());
    return result.getInt("count");
  }

  /**
   * The requests matching the pattern (WireMock's logged request objects), in no promised order.
   */
  public List<JsonObject> find(JsonObjectBuilder request) {
    JsonArray requests = post("requests/find", request.build()).getJsonArray("requests");
    List<JsonObject> out = new ArrayList<>();
    requests.forEach(r -> out.add(r.asJsonObject()));
    return out;
  }

  /** Removes the stubs this object added and clears the request journal and scenarios. */
  public void reset() {
    for (String id : stubIds) {
      send("DELETE", "mappings/" + id, null);
    }
    stubIds.clear();
    send("DELETE", "requests", null);
    send("POST", "scenarios/reset", null);
  }

  private void add(JsonObjectBuilder mapping) {
    stubIds.add(post("mappings", mapping.build()).getString("id"));
  }

  private JsonObject post(String path, JsonObject body) {
    String answer = send("POST", path, body);
    return Json.createReader(new StringReader(answer)).readObject();
  }

  private String send(String method, String path, JsonObject body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(admin.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()))
            .header("Content-Type", "application/json");
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(
            "mock admin "
                + method
                + " "
                + path
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response.body();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("mock admin unreachable at " + admin, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
